import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import MuiTable from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import useAsync from 'react-use/esm/useAsync';
import { InfoCard, Progress, WarningPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  PolicyEvaluation,
  ProductComplianceResponse,
} from '@backstage-datamesh/plugin-datamesh-common';
import { dataMeshGovernanceApiRef } from '../../api';
import {
  NOT_A_DATA_PRODUCT,
  useDataProductEntity,
} from '../../lib/useDataProductEntity';
import { COMPLIANCE_ANCHOR, useScrollToAnchor } from '../ComplianceStatus';
import { Since } from '../Since';
import { StatusChip } from '../StatusChip';
import { TableHeaderRow, useTableStyles } from '../TableParts';
import {
  ENFORCEMENT_LOOKS,
  POLICY_STATUS_LOOKS,
  compareEvaluations,
  sourceLabel,
} from './complianceLooks';

const useStyles = makeStyles(theme => ({
  // a required failure stands out: a bar in the theme's error colour on its row's first cell
  requiredFailure: {
    borderLeft: `4px solid ${theme.palette.status.error}`,
  },
  // an id is one word: never broken at its hyphens
  policyId: { fontFamily: 'monospace', whiteSpace: 'nowrap' },
  notApplicable: { margin: 0, paddingLeft: theme.spacing(2) },
}));

function summaryOf(compliance: ProductComplianceResponse): string {
  const failing = compliance.counts.fail;
  if (compliance.requiredFailures > 0) {
    return `Not compliant: ${compliance.requiredFailures} required ${
      compliance.requiredFailures === 1 ? 'policy fails' : 'policies fail'
    }`;
  }
  if (failing > 0) {
    return `Compliant with every required policy; ${failing} other ${
      failing === 1 ? 'policy fails' : 'policies fail'
    }`;
  }
  return 'Compliant with every policy that applies';
}

function PolicyRow(props: { evaluation: PolicyEvaluation }) {
  const { evaluation } = props;
  const classes = useStyles();
  const table = useTableStyles();
  const requiredFailure =
    evaluation.status === 'fail' && evaluation.enforcement === 'required';
  const enforcement = ENFORCEMENT_LOOKS[evaluation.enforcement];
  return (
    <TableRow
      data-policy={evaluation.policyId}
      data-required-failure={requiredFailure ? 'true' : undefined}
    >
      <TableCell
        className={`${table.short} ${
          requiredFailure ? classes.requiredFailure : ''
        }`}
      >
        <StatusChip
          look={POLICY_STATUS_LOOKS[evaluation.status]}
          ariaLabel={`${evaluation.title}: ${
            POLICY_STATUS_LOOKS[evaluation.status].label
          }`}
        />
      </TableCell>
      <TableCell className={table.cell}>
        <Typography variant="body2">{evaluation.title}</Typography>
        <Typography
          variant="caption"
          color="textSecondary"
          className={classes.policyId}
        >
          {evaluation.policyId}
        </Typography>
      </TableCell>
      <TableCell className={table.short}>
        {evaluation.status === 'fail' ? (
          <StatusChip look={enforcement} />
        ) : (
          <Typography variant="body2">
            {enforcement?.label ?? evaluation.enforcement}
          </Typography>
        )}
      </TableCell>
      <TableCell className={table.cell}>
        <Typography variant="body2">{evaluation.reason}</Typography>
      </TableCell>
      <TableCell className={table.short}>
        <Typography variant="body2" color="textSecondary">
          {sourceLabel(evaluation.source)}
        </Typography>
      </TableCell>
    </TableRow>
  );
}

/**
 * A product's compliance: each policy that applies with its outcome, reason and enforcement
 * (failures first, required ones marked), the policies that do not apply (collapsed), and when
 * it was last evaluated.
 */
export function ComplianceView(props: {
  compliance: ProductComplianceResponse;
}) {
  const { compliance } = props;
  const classes = useStyles();
  const table = useTableStyles();
  const applicable = compliance.evaluations
    .filter(e => e.status !== 'not-applicable')
    .sort(compareEvaluations);
  const notApplicable = compliance.evaluations
    .filter(e => e.status === 'not-applicable')
    .sort((a, b) => a.title.localeCompare(b.title));
  return (
    <Box>
      <Box
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        gridGap={8}
        mb={1}
      >
        <StatusChip
          size="medium"
          look={
            compliance.compliant
              ? { label: 'Compliant', tone: 'ok' }
              : { label: 'Not compliant', tone: 'error' }
          }
          ariaLabel={`Compliance: ${
            compliance.compliant ? 'Compliant' : 'Not compliant'
          }`}
        />
        <Typography variant="body2">{summaryOf(compliance)}</Typography>
      </Box>
      <Typography variant="body2" color="textSecondary" gutterBottom>
        {compliance.counts.pass} passing, {compliance.counts.fail} failing,{' '}
        {compliance.counts['not-applicable']} not applicable.{' '}
        <Since at={compliance.checkedAt} prefix="Last evaluated" />
        {compliance.evaluatedAt !== compliance.checkedAt && (
          <>
            {' '}
            (this outcome since{' '}
            <Since at={compliance.evaluatedAt} suffix=" ago" />)
          </>
        )}
      </Typography>
      {applicable.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          No policy applies to this data product.
        </Typography>
      ) : (
        <div className={table.scroll}>
          <MuiTable size="small" aria-label="Policies that apply">
            <TableHeaderRow
              titles={['Outcome', 'Policy', 'Enforcement', 'Reason', 'Source']}
            />
            <TableBody>
              {applicable.map(evaluation => (
                <PolicyRow key={evaluation.policyId} evaluation={evaluation} />
              ))}
            </TableBody>
          </MuiTable>
        </div>
      )}
      {notApplicable.length > 0 && (
        <Box mt={2}>
          <Accordion variant="outlined">
            <AccordionSummary
              expandIcon={<ExpandMoreIcon />}
              aria-controls="compliance-not-applicable"
              id="compliance-not-applicable-header"
            >
              <Typography variant="body2">
                {notApplicable.length}{' '}
                {notApplicable.length === 1
                  ? 'policy does not apply'
                  : 'policies do not apply'}
              </Typography>
            </AccordionSummary>
            <AccordionDetails id="compliance-not-applicable">
              <Box component="ul" className={classes.notApplicable}>
                {notApplicable.map(evaluation => (
                  <Typography
                    component="li"
                    variant="body2"
                    key={evaluation.policyId}
                    data-policy={evaluation.policyId}
                  >
                    <strong>{evaluation.title}</strong> (
                    {ENFORCEMENT_LOOKS[evaluation.enforcement]?.label ??
                      evaluation.enforcement}
                    , {sourceLabel(evaluation.source)}): {evaluation.reason}
                  </Typography>
                ))}
              </Box>
            </AccordionDetails>
          </Accordion>
        </Box>
      )}
    </Box>
  );
}

function ComplianceLoader(props: { namespace: string; name: string }) {
  const { namespace, name } = props;
  const governanceApi = useApi(dataMeshGovernanceApiRef);
  const { value, loading, error } = useAsync(
    () => governanceApi.getProductCompliance({ namespace, name }),
    [governanceApi, namespace, name],
  );
  // links to the card (the Data products page, the Data product card) open it in view
  useScrollToAnchor(COMPLIANCE_ANCHOR, !loading);
  if (loading) {
    return <Progress />;
  }
  if (error) {
    return (
      <Alert severity="error">
        <AlertTitle>Could not load the compliance</AlertTitle>
        <Typography variant="body2">{error.message}</Typography>
        {ResponseError.is(error) && error.cause.message !== error.message && (
          <Typography variant="body2">{error.cause.message}</Typography>
        )}
      </Alert>
    );
  }
  return value ? <ComplianceView compliance={value} /> : null;
}

/**
 * The "Compliance" card of a DataProduct entity page: each governance policy that applies to
 * the product, pass or fail with its reason and enforcement (required failures first and
 * marked), the policies that do not apply, and when the portal last evaluated them.
 * @public
 */
export function DataProductComplianceCard() {
  const entity = useDataProductEntity();
  return (
    <InfoCard title="Compliance" headerProps={{ id: COMPLIANCE_ANCHOR }}>
      {entity ? (
        <ComplianceLoader
          namespace={entity.metadata.namespace ?? 'default'}
          name={entity.metadata.name}
        />
      ) : (
        <WarningPanel title="Not a data product" message={NOT_A_DATA_PRODUCT} />
      )}
    </InfoCard>
  );
}
