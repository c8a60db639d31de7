import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { tryParseEntityRef } from '../../lib/refs';

/** Props of {@link RefOrText}. */
export interface RefOrTextProps {
  /** An entity reference as written in an entity, such as `group:customer-data-oncall`. */
  value: string;
  /** The namespace of the entity it is written in. */
  namespace?: string;
  /** The kind of a reference without one; `group` by default. */
  defaultKind?: string;
}

/** An entity reference from an entity's fields, linked when it parses, else as written. */
export function RefOrText(props: RefOrTextProps) {
  const ref = tryParseEntityRef(props.value, {
    defaultKind: props.defaultKind ?? 'group',
    defaultNamespace: props.namespace,
  });
  return ref ? <EntityRefLink entityRef={ref} /> : <>{props.value}</>;
}
