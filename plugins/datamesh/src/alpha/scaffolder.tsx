import { createFrontendModule } from '@backstage/frontend-plugin-api';
import {
  FormFieldBlueprint,
  createFormField,
} from '@backstage/plugin-scaffolder-react/alpha';

/**
 * The `DataProductPortPicker` scaffolder field (`ui:field: DataProductPortPicker`): the output
 * ports of the catalog's data products, several at once.
 * @alpha
 */
export const dataProductPortPickerFormField = FormFieldBlueprint.make({
  name: 'data-product-port-picker',
  params: {
    field: () =>
      import('../components/DataProductPortPicker').then(m =>
        createFormField({
          name: 'DataProductPortPicker',
          component: m.DataProductPortPicker,
          validation: m.dataProductPortPickerValidation,
        }),
      ),
  },
});

/**
 * The data mesh suite's scaffolder fields, as a module of the scaffolder plugin for apps on the
 * new frontend system: add it to the app's features.
 * @alpha
 */
export const datameshScaffolderModule = createFrontendModule({
  pluginId: 'scaffolder',
  extensions: [dataProductPortPickerFormField],
});
