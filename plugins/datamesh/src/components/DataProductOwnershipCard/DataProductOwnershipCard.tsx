import Grid from '@material-ui/core/Grid';
import { InfoCard, Link, WarningPanel } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { OWNERSHIP_ROLES } from '@backstage-datamesh/plugin-datamesh-common';
import { getOwnerRef, isHttpUrl } from '../../lib/refs';
import {
  NOT_A_DATA_PRODUCT,
  useDataProductEntity,
} from '../../lib/useDataProductEntity';
import { MetadataField } from '../MetadataField';
import { RefOrText } from '../RefOrText';

/**
 * A communication channel: a link when it is a URL, otherwise the channel's name.
 */
export function Channel(props: { value?: string }) {
  if (!props.value) {
    return null;
  }
  return isHttpUrl(props.value) ? (
    <Link to={props.value}>{props.value}</Link>
  ) : (
    <>{props.value}</>
  );
}

/**
 * The "Ownership" card: the product's owner and each ownership role, the escalation path in
 * order and where to reach the team.
 * @public
 */
export function DataProductOwnershipCard() {
  const entity = useDataProductEntity();
  if (!entity) {
    return (
      <InfoCard title="Ownership">
        <WarningPanel title="Not a data product" message={NOT_A_DATA_PRODUCT} />
      </InfoCard>
    );
  }
  const ownership = entity.spec.ownership ?? {};
  const namespace = entity.metadata.namespace;
  const owner = getOwnerRef(entity);
  const escalation = ownership.escalationPath ?? [];
  return (
    <InfoCard title="Ownership">
      <Grid container spacing={2}>
        <MetadataField label="Owner">
          {owner && <EntityRefLink entityRef={owner} />}
        </MetadataField>
        {OWNERSHIP_ROLES.map(role => {
          const value = ownership[role.key];
          return (
            <MetadataField key={role.key} label={role.label}>
              {value && <RefOrText value={value} namespace={namespace} />}
            </MetadataField>
          );
        })}
        <MetadataField label="Escalation path" md={12}>
          {escalation.length > 0 && (
            <ol
              aria-label="Escalation path"
              style={{ margin: 0, paddingLeft: 20 }}
            >
              {escalation.map((step, index) => (
                <li key={`${index}-${step}`}>
                  <RefOrText value={step} namespace={namespace} />
                </li>
              ))}
            </ol>
          )}
        </MetadataField>
        <MetadataField label="Communication channel" md={12}>
          {ownership.communicationChannel && (
            <Channel value={ownership.communicationChannel} />
          )}
        </MetadataField>
      </Grid>
    </InfoCard>
  );
}
