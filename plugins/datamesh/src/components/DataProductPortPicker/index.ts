export {
  DataProductPortPicker,
  dataProductPortPickerValidation,
} from './DataProductPortPicker';
export type {
  DataProductPortPickerUiOptions,
  DataProductPortPickerValue,
} from './DataProductPortPicker';
