import { useMemo } from 'react';
import FormControl from '@material-ui/core/FormControl';
import TextField from '@material-ui/core/TextField';
import Autocomplete from '@material-ui/lab/Autocomplete';
import useAsync from 'react-use/esm/useAsync';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import type {
  CustomFieldValidator,
  FieldExtensionComponentProps,
} from '@backstage/plugin-scaffolder-react';
import {
  DATAMESH_API_VERSION,
  DATA_PRODUCT_KIND,
  DataProductEntityV1alpha1,
} from '@backstage-datamesh/plugin-datamesh-common';

/**
 * One output port the picker chose: the upstream product's entity reference and the port's name,
 * the input of `datamesh:dataproduct:upstream-contracts`.
 * @public
 */
export type DataProductPortPickerValue = Array<{
  product: string;
  port: string;
}>;

/**
 * The picker's `ui:options`.
 * @public
 */
export type DataProductPortPickerUiOptions = {
  /** Only ports of products in this domain (an entity reference such as `domain:default/sales`). */
  domain?: string;
  /** Only ports of these types, such as `['table', 'view']`. */
  portTypes?: string[];
};

type Option = {
  product: string;
  productTitle: string;
  port: string;
  type: string;
  description?: string;
  hasContract: boolean;
};

const key = (o: { product: string; port: string }) => `${o.product}#${o.port}`;

/**
 * The `DataProductPortPicker` scaffolder field: lists the output ports of every DataProduct in
 * the catalog (as the user may see them) and lets the user pick several, for the input ports of a
 * new aggregate or consumer-aligned product. Its value is a list of `{ product, port }`.
 * @public
 */
export function DataProductPortPicker(
  props: FieldExtensionComponentProps<
    DataProductPortPickerValue,
    DataProductPortPickerUiOptions
  >,
) {
  const {
    formData,
    onChange,
    schema,
    uiSchema,
    required,
    rawErrors,
    idSchema,
    disabled,
  } = props;
  const catalogApi = useApi(catalogApiRef);
  const domain = uiSchema?.['ui:options']?.domain;
  const portTypes = uiSchema?.['ui:options']?.portTypes;
  const {
    value: options,
    loading,
    error,
  } = useAsync(async () => {
    const { items } = await catalogApi.getEntities({
      filter: {
        kind: DATA_PRODUCT_KIND,
        apiVersion: DATAMESH_API_VERSION,
        ...(domain ? { 'spec.domain': domain } : {}),
      },
      fields: [
        'kind',
        'metadata.name',
        'metadata.namespace',
        'metadata.title',
        'spec.outputPorts',
      ],
    });
    return (items as DataProductEntityV1alpha1[])
      .flatMap(entity =>
        (entity.spec?.outputPorts ?? [])
          .filter(port => !portTypes || portTypes.includes(port.type))
          .map(
            (port): Option => ({
              product: stringifyEntityRef(entity),
              productTitle: entity.metadata.title ?? entity.metadata.name,
              port: port.name,
              type: port.type,
              description: port.description,
              hasContract: Boolean(port.contract),
            }),
          ),
      )
      .sort(
        (a, b) =>
          a.productTitle.localeCompare(b.productTitle) ||
          a.port.localeCompare(b.port),
      );
  }, [catalogApi, domain, portTypes?.join(',')]);

  const selected = useMemo(() => {
    const byKey = new Map((options ?? []).map(o => [key(o), o]));
    // the form starts an array of objects with empty items; they are not ports yet
    const picked = (formData ?? []).filter(v => v?.product && v?.port);
    return picked.map(
      v =>
        byKey.get(key(v)) ?? {
          ...v,
          productTitle: v.product,
          type: '',
          hasContract: false,
        },
    );
  }, [options, formData]);

  return (
    <FormControl
      margin="normal"
      required={required}
      error={Boolean(rawErrors?.length)}
      fullWidth
    >
      <Autocomplete<Option, true>
        id={idSchema?.$id}
        multiple
        disabled={disabled}
        loading={loading}
        options={options ?? []}
        value={selected}
        groupBy={o => o.productTitle}
        getOptionLabel={o => `${o.productTitle}: ${o.port}`}
        getOptionSelected={(o, v) => key(o) === key(v)}
        renderOption={o => (
          <span data-testid={`port-option-${key(o)}`}>
            <strong>{o.port}</strong> ({o.type}
            {o.hasContract ? ', with contract' : ', no contract'})
            {o.description ? ` - ${o.description}` : ''}
          </span>
        )}
        onChange={(_event, value) =>
          onChange(value.map(o => ({ product: o.product, port: o.port })))
        }
        renderInput={params => (
          <TextField
            {...params}
            label={schema.title ?? 'Input ports'}
            helperText={
              error
                ? `Could not list the data products: ${error.message}`
                : schema.description ??
                  'The output ports of other data products it consumes'
            }
            error={Boolean(error) || Boolean(rawErrors?.length)}
            // the asterisk only: the form checks minItems, the browser must not ask for text
            InputLabelProps={{ ...params.InputLabelProps, required }}
            variant="outlined"
          />
        )}
      />
    </FormControl>
  );
}

/**
 * Checks the picked ports: none picked twice (whether one is needed is the template's `required`).
 * @public
 */
export const dataProductPortPickerValidation: CustomFieldValidator<
  DataProductPortPickerValue
> = (value, validation) => {
  const picked = value ?? [];
  const seen = new Set<string>();
  for (const v of picked) {
    if (seen.has(key(v))) {
      validation.addError(`${v.product} port ${v.port} is picked twice`);
    }
    seen.add(key(v));
  }
};
