/**
 * The data mesh frontend plugin for apps on the new frontend system: the Data products page
 * and the DataProduct and Domain entity cards, and the scaffolder fields of the golden paths
 * (`datameshScaffolderModule`).
 *
 * @packageDocumentation
 */
import { datameshPlugin } from './alpha/plugin';

export {
  dataProductPortPickerFormField,
  datameshScaffolderModule,
} from './alpha/scaffolder';

/**
 * The data mesh frontend plugin for apps on the new frontend system.
 * @alpha
 */
export default datameshPlugin;
