import { useState } from 'react';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Link } from 'react-router-dom';
import type { Entity } from '@backstage/catalog-model';
import { renderForEntity } from '../../__testUtils__/fixtures';
import {
  COMPLIANCE_ANCHOR,
  ComplianceChip,
  ComplianceMarker,
  complianceCounts,
  complianceOfEntity,
  requiredPolicyFailures,
  useScrollToAnchor,
} from '.';

function product(
  labels: Record<string, string> = {},
  annotations: Record<string, string> = {},
): Entity {
  return {
    apiVersion: 'datamesh.io/v1alpha1',
    kind: 'DataProduct',
    metadata: {
      name: 'campaign-roi',
      namespace: 'marketing',
      labels,
      annotations,
    },
    spec: {},
  };
}

const nonCompliant = product(
  { 'datamesh.io/compliance': 'non-compliant' },
  {
    'datamesh.io/required-policy-failures': 'encryption-at-rest,audit-logging',
  },
);

describe('compliance from the catalog label', () => {
  it('reads the label, a product without it (or with another value) not evaluated', () => {
    expect(complianceOfEntity(nonCompliant)).toBe('non-compliant');
    expect(
      complianceOfEntity(product({ 'datamesh.io/compliance': 'compliant' })),
    ).toBe('compliant');
    expect(complianceOfEntity(product())).toBe('not-evaluated');
    expect(
      complianceOfEntity(product({ 'datamesh.io/compliance': 'maybe' })),
    ).toBe('not-evaluated');
  });

  it('reads the failing required policies from the comma-separated annotation', () => {
    expect(requiredPolicyFailures(nonCompliant)).toEqual([
      'encryption-at-rest',
      'audit-logging',
    ]);
    expect(
      requiredPolicyFailures(
        product(
          {},
          { 'datamesh.io/required-policy-failures': ' pii-masking , ,' },
        ),
      ),
    ).toEqual(['pii-masking']);
    expect(requiredPolicyFailures(product())).toEqual([]);
  });

  it('counts the products without the label as not evaluated', () => {
    expect(
      complianceCounts({
        'metadata.labels.datamesh.io/compliance': [
          { value: 'compliant', count: 3 },
          { value: 'non-compliant', count: 4 },
          { value: 'other', count: 1 },
        ],
        kind: [{ value: 'DataProduct', count: 10 }],
      }),
    ).toEqual({ compliant: 3, 'non-compliant': 4, 'not-evaluated': 3 });
    expect(complianceCounts(undefined)).toEqual({});
  });
});

describe('ComplianceChip', () => {
  it('links to the Compliance card of the product page, the failing policies in its tooltip', async () => {
    await renderForEntity(<ComplianceChip entity={nonCompliant} />);
    const link = screen.getByRole('link', {
      name: 'Compliance: Non-compliant',
    });
    expect(link).toHaveAttribute(
      'href',
      `/catalog/marketing/dataproduct/campaign-roi#${COMPLIANCE_ANCHOR}`,
    );
    expect(link.querySelector('[data-tone]')).toHaveAttribute(
      'data-tone',
      'error',
    );
    await userEvent.hover(within(link).getByText('Non-compliant'));
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      'Fails the required policy encryption-at-restFails the required policy audit-logging',
    );
  });

  it('says not evaluated for a product without the label', async () => {
    await renderForEntity(<ComplianceChip entity={product()} />);
    const link = screen.getByRole('link', {
      name: 'Compliance: Not evaluated',
    });
    await userEvent.hover(within(link).getByText('Not evaluated'));
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      'Its policies have not been evaluated yet',
    );
  });
});

describe('ComplianceMarker', () => {
  it('marks a non-compliant product with its failing policy ids, linking to its Compliance card', async () => {
    await renderForEntity(<ComplianceMarker entity={nonCompliant} />);
    const marker = screen.getByRole('status', {
      name: 'Non-compliant: encryption-at-rest, audit-logging',
    });
    expect(marker).toHaveTextContent(
      'Non-compliant: encryption-at-rest, audit-logging',
    );
    expect(
      within(marker).getByRole('link', { name: 'See the Compliance card' }),
    ).toHaveAttribute(
      'href',
      `/catalog/marketing/dataproduct/campaign-roi#${COMPLIANCE_ANCHOR}`,
    );
  });

  it('says a required policy fails when the annotation is missing', async () => {
    await renderForEntity(
      <ComplianceMarker
        entity={product({ 'datamesh.io/compliance': 'non-compliant' })}
      />,
    );
    expect(screen.getByRole('status')).toHaveTextContent(
      'Non-compliant: a required policy fails.',
    );
  });

  it('shows nothing for a compliant product or one not evaluated', async () => {
    await renderForEntity(
      <div data-testid="markers">
        <ComplianceMarker
          entity={product({ 'datamesh.io/compliance': 'compliant' })}
        />
        <ComplianceMarker entity={product()} />
      </div>,
    );
    expect(screen.getByTestId('markers')).toBeEmptyDOMElement();
  });
});

describe('useScrollToAnchor', () => {
  function Card() {
    const [ready, setReady] = useState(false);
    useScrollToAnchor('datamesh-compliance', ready);
    return (
      <>
        <Link to="#datamesh-compliance">to the card</Link>
        <div id="datamesh-compliance">card</div>
        <button onClick={() => setReady(true)}>load</button>
      </>
    );
  }

  // jsdom does not lay out, and has no scrollIntoView
  const scrollIntoView = jest.fn();
  beforeEach(() => {
    scrollIntoView.mockClear();
    Element.prototype.scrollIntoView = scrollIntoView;
  });
  afterEach(() => {
    delete (Element.prototype as Partial<Element>).scrollIntoView;
  });

  it('scrolls the element into view once ready when the URL names it, and again on each link to it', async () => {
    await renderForEntity(<Card />, {
      routeEntries: ['/catalog/default/dataproduct/x#datamesh-compliance'],
    });
    // not before its content is ready: its height is not known yet
    expect(scrollIntoView).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: 'load' }));
    await waitFor(() => expect(scrollIntoView).toHaveBeenCalledTimes(1));
    expect(scrollIntoView.mock.contexts[0]).toBe(screen.getByText('card'));
    await userEvent.click(screen.getByRole('link', { name: 'to the card' }));
    await waitFor(() => expect(scrollIntoView).toHaveBeenCalledTimes(2));
  });

  it('does not scroll without the hash', async () => {
    await renderForEntity(<Card />, {
      routeEntries: ['/catalog/default/dataproduct/x'],
    });
    await userEvent.click(screen.getByRole('button', { name: 'load' }));
    expect(scrollIntoView).not.toHaveBeenCalled();
  });
});
