import { screen } from '@testing-library/react';
import type { DataMeshProblem } from '@backstage-datamesh/plugin-datamesh-common';
import { renderForEntity } from '../../__testUtils__/fixtures';
import { DataMeshProblemsPanel } from './DataMeshProblemsPanel';

const problems: DataMeshProblem[] = [
  {
    entityRef: 'dataproduct:default/broken-orders-feed',
    kind: 'DataProduct',
    title: 'Broken orders feed',
    domain: 'sales',
    location:
      'url:https://github.com/acme/mesh/blob/main/sales/catalog-info.yaml',
    errors: [
      'spec.outputPorts[1].type must be one of table, view, topic, api, file, not "tabel"',
      'spec.sensitivity must be one of public, internal, confidential, restricted, not "secret"',
    ],
  },
  {
    entityRef: 'domain:default/ops',
    kind: 'Domain',
    title: 'ops',
    errors: [
      'spec.datamesh.sla.freshness must be a duration such as 15m, 1h or 1d, not "soon"',
    ],
  },
];

describe('DataMeshProblemsPanel', () => {
  it('lists each rejected entity with its location and every error', async () => {
    await renderForEntity(<DataMeshProblemsPanel />, {
      dataMeshApi: { getProblems: jest.fn().mockResolvedValue(problems) },
    });
    expect(
      await screen.findByText('2 data mesh entities are not in the catalog'),
    ).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent(
      'Broken orders feed (dataproduct:default/broken-orders-feed)',
    );
    expect(
      screen.getByText(
        'spec.outputPorts[1].type must be one of table, view, topic, api, file, not "tabel"',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', {
        name: /^https:\/\/github\.com\/acme\/mesh\/blob\/main\/sales\/catalog-info\.yaml/,
      }),
    ).toHaveAttribute(
      'href',
      'https://github.com/acme/mesh/blob/main/sales/catalog-info.yaml',
    );
    expect(
      screen.getByText(
        'spec.datamesh.sla.freshness must be a duration such as 15m, 1h or 1d, not "soon"',
      ),
    ).toBeInTheDocument();
  });

  it('keeps to the given domains, comparing entity references as the catalog does', async () => {
    const inNamespace: DataMeshProblem = {
      entityRef: 'dataproduct:finance/broken-ledger',
      kind: 'DataProduct',
      title: 'Broken ledger',
      // relative to the entity's namespace: domain:finance/sales, not domain:default/sales
      domain: 'sales',
      errors: ['spec.owner must be an entity reference'],
    };
    const getProblems = jest.fn().mockResolvedValue([...problems, inNamespace]);
    await renderForEntity(
      <DataMeshProblemsPanel domains={['Domain:default/Sales']} />,
      { dataMeshApi: { getProblems } },
    );
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('1 data mesh entity is not in the catalog');
    expect(alert).toHaveTextContent('dataproduct:default/broken-orders-feed');
    expect(alert).not.toHaveTextContent('domain:default/ops');
    expect(alert).not.toHaveTextContent('dataproduct:finance/broken-ledger');
  });

  it('names a given domain that the catalog rejected', async () => {
    await renderForEntity(
      <DataMeshProblemsPanel domains={['ops', 'domain:default/support']} />,
      { dataMeshApi: { getProblems: jest.fn().mockResolvedValue(problems) } },
    );
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('1 data mesh entity is not in the catalog');
    expect(alert).toHaveTextContent('ops (domain:default/ops)');
  });

  it('shows nothing when no problem is in the given domains', async () => {
    const getProblems = jest.fn().mockResolvedValue(problems);
    const { container } = await renderForEntity(
      <DataMeshProblemsPanel domains={['domain:default/customer']} />,
      { dataMeshApi: { getProblems } },
    );
    expect(getProblems).toHaveBeenCalled();
    expect(container).toBeEmptyDOMElement();
  });

  it('shows nothing when the whole mesh is in the catalog', async () => {
    const getProblems = jest.fn().mockResolvedValue([]);
    const { container } = await renderForEntity(<DataMeshProblemsPanel />, {
      dataMeshApi: { getProblems },
    });
    expect(getProblems).toHaveBeenCalled();
    expect(container).toBeEmptyDOMElement();
  });

  it('says so when the check itself fails', async () => {
    await renderForEntity(<DataMeshProblemsPanel />, {
      dataMeshApi: {
        getProblems: jest
          .fn()
          .mockRejectedValue(new Error('catalog unreachable')),
      },
    });
    expect(
      await screen.findByText(
        /Could not check the catalog for rejected data mesh entities: catalog unreachable/,
      ),
    ).toBeInTheDocument();
  });
});
