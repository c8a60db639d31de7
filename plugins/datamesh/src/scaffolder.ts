import { scaffolderPlugin } from '@backstage/plugin-scaffolder';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import {
  DataProductPortPicker,
  dataProductPortPickerValidation,
} from './components/DataProductPortPicker';

/**
 * The `DataProductPortPicker` scaffolder field for apps on the legacy frontend system: put it in
 * `<ScaffolderFieldExtensions>` of the scaffolder page, and use it in a template with
 * `ui:field: DataProductPortPicker` on an array of `{ product, port }`.
 * @public
 */
export const DataProductPortPickerFieldExtension = scaffolderPlugin.provide(
  createScaffolderFieldExtension({
    name: 'DataProductPortPicker',
    component: DataProductPortPicker,
    validation: dataProductPortPickerValidation,
  }),
);
