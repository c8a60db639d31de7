import { screen, within } from '@testing-library/react';
import { dataProduct, renderForEntity } from '../../__testUtils__/fixtures';
import { DataProductSloCard } from './DataProductSloCard';

describe('DataProductSloCard', () => {
  it('shows the parsed objectives in human readable form', async () => {
    await renderForEntity(<DataProductSloCard />, { entity: dataProduct() });

    const table = await screen.findByRole('table', {
      name: 'Service level objectives',
    });
    const rows = within(table).getAllByRole('row');
    expect(rows[1]).toHaveTextContent('Freshness');
    expect(rows[1]).toHaveTextContent('15 minutes');
    expect(rows[2]).toHaveTextContent('Availability');
    expect(rows[2]).toHaveTextContent('99.95%');
    expect(rows[3]).toHaveTextContent('99.5%');
    expect(rows[4]).toHaveTextContent('Completeness');
    expect(rows[4]).toHaveTextContent('98%');
  });

  it('marks objectives that do not parse', async () => {
    await renderForEntity(<DataProductSloCard />, {
      entity: dataProduct({ sla: { freshness: 'soon', availability: '101%' } }),
    });
    expect(
      await screen.findByText('soon (not understood)'),
    ).toBeInTheDocument();
    expect(screen.getByText('101% (not understood)')).toBeInTheDocument();
  });

  it('says so when no objectives are declared', async () => {
    await renderForEntity(<DataProductSloCard />, {
      entity: dataProduct({ sla: undefined }),
    });
    expect(
      await screen.findByText('No service level objectives declared.'),
    ).toBeInTheDocument();
  });
});
