import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { InfoCard, Link, WarningPanel } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { getDomainRef, getOwnerRef } from '../../lib/refs';
import {
  NOT_A_DATA_PRODUCT,
  useDataProductEntity,
} from '../../lib/useDataProductEntity';
import {
  ComplianceChip,
  ComplianceMarker,
  complianceOfEntity,
} from '../ComplianceStatus';
import { MetadataField } from '../MetadataField';

/**
 * The "Data product" card: what the product is, who owns it and how it is classified, and
 * whether it complies with its required policies (from the catalog's compliance label: a
 * product failing one is marked with the policies' ids, linking to its Compliance card).
 * @public
 */
export function DataProductAboutCard() {
  const entity = useDataProductEntity();
  if (!entity) {
    return (
      <InfoCard title="Data product">
        <WarningPanel title="Not a data product" message={NOT_A_DATA_PRODUCT} />
      </InfoCard>
    );
  }
  const { spec, metadata } = entity;
  const domain = getDomainRef(entity);
  const owner = getOwnerRef(entity);
  const links = metadata.links ?? [];
  return (
    <InfoCard title="Data product">
      {complianceOfEntity(entity) === 'non-compliant' && (
        <Box mb={2}>
          <ComplianceMarker entity={entity} />
        </Box>
      )}
      <Box mb={2}>
        <Typography variant="body1">
          {metadata.description ?? 'No description.'}
        </Typography>
      </Box>
      <Grid container spacing={2}>
        <MetadataField label="Domain">
          {domain && <EntityRefLink entityRef={domain} />}
        </MetadataField>
        <MetadataField label="Owner">
          {owner && <EntityRefLink entityRef={owner} />}
        </MetadataField>
        <MetadataField label="Type">{spec.type}</MetadataField>
        <MetadataField label="Lifecycle">{spec.lifecycle}</MetadataField>
        <MetadataField label="Version">{spec.version}</MetadataField>
        <MetadataField label="Previous versions">
          {spec.previousVersions?.length
            ? spec.previousVersions.join(', ')
            : undefined}
        </MetadataField>
        <MetadataField label="Sensitivity">{spec.sensitivity}</MetadataField>
        {/* not "Compliance": the title of the Compliance card on the same page */}
        <MetadataField label="Policy compliance">
          <ComplianceChip entity={entity} />
        </MetadataField>
        <MetadataField label="Retention">
          {spec.retentionDays === undefined
            ? undefined
            : `${spec.retentionDays} day${spec.retentionDays === 1 ? '' : 's'}`}
        </MetadataField>
        <MetadataField label="Tags" md={12}>
          {(metadata.tags ?? []).map(tag => (
            <Chip key={tag} size="small" label={tag} />
          ))}
        </MetadataField>
        <MetadataField label="Documentation" md={12}>
          {spec.documentationUrl && (
            <Link to={spec.documentationUrl}>{spec.documentationUrl}</Link>
          )}
        </MetadataField>
        {links.length > 0 && (
          <MetadataField label="Links" md={12}>
            {links.map(link => (
              <Box key={link.url}>
                <Link to={link.url}>{link.title ?? link.url}</Link>
              </Box>
            ))}
          </MetadataField>
        )}
      </Grid>
    </InfoCard>
  );
}
