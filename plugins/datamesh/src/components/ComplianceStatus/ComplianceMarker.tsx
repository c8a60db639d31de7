import Box from '@material-ui/core/Box';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import type { Entity } from '@backstage/catalog-model';
import { Link } from '@backstage/core-components';
import { useComplianceLink } from './ComplianceChip';
import { complianceOfEntity, requiredPolicyFailures } from './compliance';

const useStyles = makeStyles({
  // an id is one word: never broken at its hyphens
  policyId: { fontFamily: 'monospace', whiteSpace: 'nowrap' },
});

/** Props of {@link ComplianceMarker}. */
export interface ComplianceMarkerProps {
  /** The data product, with its labels and annotations. */
  entity: Entity;
}

/**
 * The marker of a data product that fails a required policy, from its catalog label and
 * annotation: "Non-compliant: <policy ids>", with a link under them to its Compliance card. Nothing for a
 * compliant product or one not evaluated yet.
 */
export function ComplianceMarker(props: ComplianceMarkerProps) {
  const { entity } = props;
  const classes = useStyles();
  const href = useComplianceLink(entity);
  if (complianceOfEntity(entity) !== 'non-compliant') {
    return null;
  }
  const failures = requiredPolicyFailures(entity);
  return (
    <Alert
      severity="error"
      role="status"
      aria-label={`Non-compliant: ${
        failures.length ? failures.join(', ') : 'a required policy fails'
      }`}
      data-testid="datamesh-compliance-marker"
    >
      <strong>Non-compliant:</strong>{' '}
      {failures.length
        ? failures.map((id, index) => (
            <span key={id}>
              {index > 0 && ', '}
              <span className={classes.policyId} data-policy={id}>
                {id}
              </span>
            </span>
          ))
        : 'a required policy fails.'}
      {/* under the ids, not beside them: a narrow card never clips it */}
      <Box mt={0.5}>
        <Link to={href}>See the Compliance card</Link>
      </Box>
    </Alert>
  );
}
