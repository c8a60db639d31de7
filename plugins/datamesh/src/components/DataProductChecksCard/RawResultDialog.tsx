import { useEffect, useMemo, useState } from 'react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import useAsync from 'react-use/esm/useAsync';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type { StoredCheckResult } from '@backstage-datamesh/plugin-datamesh-common';
import { dataMeshQualityApiRef } from '../../api';
import { resolveJsonPointer } from '../../lib/jsonPointer';

const useStyles = makeStyles(theme => ({
  code: {
    margin: 0,
    padding: theme.spacing(1),
    maxHeight: '60vh',
    overflow: 'auto',
    fontSize: theme.typography.body2.fontSize,
    backgroundColor: theme.palette.background.default,
    whiteSpace: 'pre',
  },
}));

/** The raw document read as JSON when it is JSON, else as text. */
function parseDocument(body: string): { json: boolean; value: unknown } {
  try {
    return { json: true, value: JSON.parse(body) };
  } catch {
    return { json: false, value: body };
  }
}

/** A URL of the document for the Download link, revoked when the dialog closes. */
function useBlobUrl(body: string | undefined, contentType: string | undefined) {
  const url = useMemo(
    () =>
      body === undefined
        ? undefined
        : URL.createObjectURL(new Blob([body], { type: contentType })),
    [body, contentType],
  );
  useEffect(
    () => () => {
      if (url) {
        URL.revokeObjectURL(url);
      }
    },
    [url],
  );
  return url;
}

function RawResultContent(props: {
  check: StoredCheckResult;
  whole: boolean;
  body: string;
}) {
  const { check, whole, body } = props;
  const classes = useStyles();
  const parsed = parseDocument(body);
  const part =
    parsed.json && !whole
      ? resolveJsonPointer(parsed.value, check.rawPointer)
      : undefined;
  const shown = part === undefined ? parsed.value : part;
  return (
    <>
      <Typography variant="body2" color="textSecondary" gutterBottom>
        {part === undefined
          ? `The whole document of run ${check.runId}, as ${check.tool.name} wrote it.`
          : `The result at ${check.rawPointer} of run ${check.runId}, as ${check.tool.name} wrote it.`}
      </Typography>
      <pre className={classes.code} aria-label="Raw result">
        {typeof shown === 'string' ? shown : JSON.stringify(shown, null, 2)}
      </pre>
    </>
  );
}

/**
 * The link back to a check's raw result: a button that fetches the run's raw document with the
 * user's credentials and shows the check's part of it (its `rawPointer`), the whole document on
 * demand, and a download of it.
 */
export function RawResultButton(props: { check: StoredCheckResult }) {
  const { check } = props;
  const [open, setOpen] = useState(false);
  const [whole, setWhole] = useState(false);
  const qualityApi = useApi(dataMeshQualityApiRef);
  const raw = useAsync(
    async () => (open ? qualityApi.getRawDocument(check.runId) : undefined),
    [open, qualityApi, check.runId],
  );
  const downloadUrl = useBlobUrl(raw.value?.body, raw.value?.contentType);
  let content;
  if (raw.error) {
    content = <ResponseErrorPanel error={raw.error} />;
  } else if (!raw.value) {
    content = <Progress />;
  } else {
    content = (
      <RawResultContent check={check} whole={whole} body={raw.value.body} />
    );
  }
  return (
    <>
      <Button
        size="small"
        onClick={() => setOpen(true)}
        aria-label={`Raw result of ${check.name}`}
      >
        Raw
      </Button>
      {open && (
        <Dialog
          open
          onClose={() => setOpen(false)}
          maxWidth="md"
          fullWidth
          aria-labelledby={`raw-${check.runId}-${check.checkId}`}
        >
          <DialogTitle id={`raw-${check.runId}-${check.checkId}`}>
            Raw result: {check.name}
          </DialogTitle>
          <DialogContent>{content}</DialogContent>
          <DialogActions>
            <Button onClick={() => setWhole(w => !w)} disabled={!raw.value}>
              {whole ? 'Show this check only' : 'Show the whole document'}
            </Button>
            {downloadUrl && (
              <Button
                component="a"
                href={downloadUrl}
                download={`quality-run-${check.runId}.${
                  raw.value?.contentType.includes('json') ? 'json' : 'txt'
                }`}
              >
                Download
              </Button>
            )}
            <Button onClick={() => setOpen(false)} color="primary">
              Close
            </Button>
          </DialogActions>
        </Dialog>
      )}
    </>
  );
}
