import type { ReactNode } from 'react';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { Link } from '@backstage/core-components';
import { ResponseError } from '@backstage/errors';
import type { ValidationProblem } from '@backstage-datamesh/plugin-datamesh-common';
import { isHttpUrl } from '../../lib/refs';

/**
 * Where a document the backend read (a data contract, an infrastructure descriptor) comes from:
 * a link when it is a URL, the path otherwise.
 */
export function DocumentSource(props: { source: string }) {
  return (
    <Typography variant="body2" component="div">
      Source:{' '}
      {isHttpUrl(props.source) ? (
        <Link to={props.source}>{props.source}</Link>
      ) : (
        <code>{props.source}</code>
      )}
    </Typography>
  );
}

/**
 * A document the backend could not use: its title, the backend's message, each problem with the
 * field it names, and where the document was read from.
 */
export function DocumentProblemAlert(props: {
  title: string;
  message: ReactNode;
  severity?: 'error' | 'warning';
  errors?: Array<Pick<ValidationProblem, 'path' | 'message'>>;
  source?: string;
}) {
  const { errors = [] } = props;
  return (
    <Alert severity={props.severity ?? 'error'}>
      <AlertTitle>{props.title}</AlertTitle>
      <Typography variant="body2">{props.message}</Typography>
      {errors.length > 0 && (
        <ul>
          {errors.map((error, index) => (
            <li key={`${index}:${error.path}`}>
              <code>{error.path}</code>: {error.message}
            </li>
          ))}
        </ul>
      )}
      {props.source !== undefined && <DocumentSource source={props.source} />}
    </Alert>
  );
}

/** A request for a document that failed: its message, and the backend's when it says more. */
export function DocumentLoadError(props: { title: string; error: Error }) {
  const { error } = props;
  return (
    <Alert severity="error">
      <AlertTitle>{props.title}</AlertTitle>
      <Typography variant="body2">{error.message}</Typography>
      {ResponseError.is(error) && error.cause.message !== error.message && (
        <Typography variant="body2">{error.cause.message}</Typography>
      )}
    </Alert>
  );
}
