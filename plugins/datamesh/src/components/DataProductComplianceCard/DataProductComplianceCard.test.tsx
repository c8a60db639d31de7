import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { TestApiProvider } from '@backstage/test-utils';
import { ResponseError } from '@backstage/errors';
import type { ProductComplianceResponse } from '@backstage-datamesh/plugin-datamesh-common';
import { dataProduct, renderForEntity } from '../../__testUtils__/fixtures';
import { DataMeshGovernanceApi, dataMeshGovernanceApiRef } from '../../api';
import { DataProductComplianceCard } from './DataProductComplianceCard';

const minutesAgo = (m: number) =>
  new Date(Date.now() - m * 60_000).toISOString();

const compliance: ProductComplianceResponse = {
  entityRef: 'dataproduct:default/customer-360',
  domain: 'domain:default/customer',
  compliant: false,
  evaluatedAt: minutesAgo(180),
  checkedAt: minutesAgo(5),
  counts: { pass: 2, fail: 2, 'not-applicable': 1 },
  requiredFailures: 1,
  evaluations: [
    {
      policyId: 'audit-logging',
      title: 'Audit logging',
      enforcement: 'recommended',
      status: 'fail',
      reason: 'Audit logging is off (spec.security.audit_logging).',
      source: { type: 'default' },
    },
    {
      policyId: 'quality-slos',
      title: 'Quality SLOs defined',
      enforcement: 'required',
      status: 'pass',
      reason: 'The product declares its service level objectives.',
      source: { type: 'default' },
    },
    {
      policyId: 'encryption-at-rest',
      title: 'Encryption at rest',
      enforcement: 'required',
      status: 'fail',
      reason: 'Storage is not encrypted at rest.',
      source: { type: 'default' },
    },
    {
      policyId: 'customer-consent',
      title: 'Customer consent',
      enforcement: 'optional',
      status: 'pass',
      reason: 'Consent is recorded.',
      source: { type: 'domain', domain: 'domain:default/customer' },
    },
    {
      policyId: 'marketing-attribution',
      title: 'Marketing attribution',
      enforcement: 'required',
      status: 'not-applicable',
      reason: 'The policy applies to the domain marketing only.',
      source: { type: 'domain', domain: 'domain:default/marketing' },
    },
  ],
  history: [],
};

function renderCard(api: Partial<DataMeshGovernanceApi>) {
  return renderForEntity(
    <TestApiProvider apis={[[dataMeshGovernanceApiRef, api]]}>
      <DataProductComplianceCard />
    </TestApiProvider>,
    { entity: dataProduct() },
  );
}

describe('DataProductComplianceCard', () => {
  it('lists the policies that apply, required failures first and marked, with their reasons', async () => {
    const getProductCompliance = jest.fn().mockResolvedValue(compliance);
    await renderCard({ getProductCompliance });

    const table = await screen.findByRole('table', {
      name: 'Policies that apply',
    });
    expect(getProductCompliance).toHaveBeenCalledWith({
      namespace: 'default',
      name: 'customer-360',
    });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map(row => row.getAttribute('data-policy'))).toEqual([
      'encryption-at-rest',
      'audit-logging',
      'quality-slos',
      'customer-consent',
    ]);
    expect(rows[0]).toHaveAttribute('data-required-failure', 'true');
    expect(rows[1]).not.toHaveAttribute('data-required-failure');
    expect(
      within(rows[0]).getByLabelText('Encryption at rest: Fail'),
    ).toBeInTheDocument();
    expect(within(rows[0]).getByText('Required')).toBeInTheDocument();
    expect(
      within(rows[0]).getByText('Storage is not encrypted at rest.'),
    ).toBeInTheDocument();
    expect(within(rows[1]).getByText('Recommended')).toBeInTheDocument();
    expect(
      within(rows[2]).getByLabelText('Quality SLOs defined: Pass'),
    ).toBeInTheDocument();
    expect(within(rows[3]).getByText('Domain customer')).toBeInTheDocument();

    expect(screen.getByLabelText('Compliance: Not compliant')).toBeVisible();
    expect(
      screen.getByText('Not compliant: 1 required policy fails'),
    ).toBeInTheDocument();
    expect(screen.getByText('Last evaluated 5m ago')).toBeInTheDocument();
  });

  it('keeps the policies that do not apply in a collapsed list, with why', async () => {
    await renderCard({
      getProductCompliance: jest.fn().mockResolvedValue(compliance),
    });
    const summary = await screen.findByRole('button', {
      name: /1 policy does not apply/,
    });
    expect(summary).toHaveAttribute('aria-expanded', 'false');
    expect(
      screen.queryByRole('row', { name: /Marketing attribution/ }),
    ).not.toBeInTheDocument();
    await userEvent.click(summary);
    expect(summary).toHaveAttribute('aria-expanded', 'true');
    expect(
      screen.getByText(/The policy applies to the domain marketing only\./),
    ).toBeVisible();
  });

  it('says when the product complies with every policy', async () => {
    await renderCard({
      getProductCompliance: jest.fn().mockResolvedValue({
        ...compliance,
        compliant: true,
        requiredFailures: 0,
        counts: { pass: 1, fail: 0, 'not-applicable': 0 },
        evaluations: [compliance.evaluations[1]],
      }),
    });
    expect(
      await screen.findByText('Compliant with every policy that applies'),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Compliance: Compliant')).toBeVisible();
    expect(
      screen.queryByRole('button', { name: /does not apply/ }),
    ).not.toBeInTheDocument();
  });

  it("shows the backend's error", async () => {
    const response = new Response(
      JSON.stringify({
        error: {
          name: 'NotFoundError',
          message:
            'No DataProduct dataproduct:default/customer-360 in the catalog',
        },
        request: { method: 'GET', url: '/compliance' },
        response: { statusCode: 404 },
      }),
      { status: 404, headers: { 'Content-Type': 'application/json' } },
    );
    const error = await ResponseError.fromResponse(response);
    await renderCard({
      getProductCompliance: jest.fn().mockRejectedValue(error),
    });
    expect(
      await screen.findByText('Could not load the compliance'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'No DataProduct dataproduct:default/customer-360 in the catalog',
      ),
    ).toBeInTheDocument();
  });
});
