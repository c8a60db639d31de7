import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  TestApiProvider,
  TestApiRegistry,
  renderInTestApp,
} from '@backstage/test-utils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { dataProduct, mockCatalogApi } from '../../__testUtils__/fixtures';
import {
  DataProductPortPicker,
  DataProductPortPickerUiOptions,
  DataProductPortPickerValue,
  dataProductPortPickerValidation,
} from './DataProductPortPicker';

const orders = {
  ...dataProduct({
    name: 'order-history',
    outputPorts: [
      {
        name: 'orders',
        type: 'table',
        location: { namespace: 'postgres://w:5432', name: 'sales.orders' },
        contract: './contracts/orders.odcs.yaml',
      },
      {
        name: 'order-events',
        type: 'topic',
        location: { namespace: 'kafka://b:9092', name: 'sales.order-events' },
      },
    ],
  }),
};
orders.metadata = { ...orders.metadata, title: 'Order History' };
const accounts = dataProduct({
  name: 'crm-accounts',
  outputPorts: [
    {
      name: 'accounts',
      type: 'table',
      location: { namespace: 'postgres://w:5432', name: 'sales.accounts' },
      contract: './contracts/accounts.odcs.yaml',
    },
  ],
});
accounts.metadata = { ...accounts.metadata, title: 'CRM Accounts' };

async function renderPicker(
  formData: DataProductPortPickerValue | undefined,
  uiOptions: DataProductPortPickerUiOptions = {},
) {
  const catalogApi = mockCatalogApi({
    getEntities: jest.fn().mockResolvedValue({ items: [orders, accounts] }),
  });
  const onChange = jest.fn();
  const props = {
    formData,
    onChange,
    schema: { title: 'Input ports', type: 'array' },
    uiSchema: { 'ui:options': uiOptions },
    required: true,
    rawErrors: [],
    idSchema: { $id: 'root_inputPorts' },
  } as unknown as FieldExtensionComponentProps<
    DataProductPortPickerValue,
    DataProductPortPickerUiOptions
  >;
  await renderInTestApp(
    <TestApiProvider apis={[[catalogApiRef, catalogApi]]}>
      <DataProductPortPicker {...props} />
    </TestApiProvider>,
  );
  return { catalogApi, onChange };
}

describe('DataProductPortPicker', () => {
  it("lists every product's output ports, grouped by product, and picks several", async () => {
    const { catalogApi, onChange } = await renderPicker([
      { product: 'dataproduct:default/crm-accounts', port: 'accounts' },
    ]);
    expect(catalogApi.getEntities).toHaveBeenCalledWith(
      expect.objectContaining({
        filter: { kind: 'DataProduct', apiVersion: 'datamesh.io/v1alpha1' },
      }),
    );
    // the current value shows as a chip with the product's title
    expect(
      await screen.findByText('CRM Accounts: accounts'),
    ).toBeInTheDocument();

    await userEvent.click(screen.getByRole('textbox', { name: /Input ports/ }));
    const listbox = await screen.findByRole('listbox');
    expect(within(listbox).getByText('Order History')).toBeInTheDocument();
    expect(
      within(listbox).getByTestId(
        'port-option-dataproduct:default/order-history#order-events',
      ),
    ).toHaveTextContent('order-events (topic, no contract)');
    await userEvent.click(
      within(listbox).getByTestId(
        'port-option-dataproduct:default/order-history#orders',
      ),
    );
    expect(onChange).toHaveBeenLastCalledWith([
      { product: 'dataproduct:default/crm-accounts', port: 'accounts' },
      { product: 'dataproduct:default/order-history', port: 'orders' },
    ]);
  });

  it('ignores the empty item the form starts an array with, and never asks the browser for text', async () => {
    // what the form holds before anything is picked: an item without product or port
    await renderPicker([{}] as unknown as DataProductPortPickerValue);
    const input = await screen.findByRole('textbox', { name: /Input ports/ });
    expect(input).not.toBeRequired();
    expect(screen.queryByText(/undefined/)).not.toBeInTheDocument();
  });

  it('keeps only the port types asked for', async () => {
    await renderPicker([], { portTypes: ['topic'] });
    await userEvent.click(
      await screen.findByRole('textbox', { name: /Input ports/ }),
    );
    const listbox = await screen.findByRole('listbox');
    expect(within(listbox).getAllByRole('option')).toHaveLength(1);
    expect(within(listbox).getByRole('option')).toHaveTextContent(
      'order-events',
    );
  });

  it('refuses a port picked twice', () => {
    const addError = jest.fn();
    dataProductPortPickerValidation(
      [
        { product: 'dataproduct:default/crm-accounts', port: 'accounts' },
        { product: 'dataproduct:default/crm-accounts', port: 'accounts' },
      ],
      { __errors: [], addError },
      { apiHolder: TestApiRegistry.from(), formData: {}, schema: {} },
    );
    expect(addError).toHaveBeenCalledWith(
      'dataproduct:default/crm-accounts port accounts is picked twice',
    );
  });
});
