import type { ReactNode } from 'react';
import Box from '@material-ui/core/Box';
import IconButton from '@material-ui/core/IconButton';
import Typography from '@material-ui/core/Typography';
import RefreshIcon from '@material-ui/icons/Refresh';

/**
 * The right end of a page's toolbar (Mesh health, Governance): what the page counts, once
 * loaded, and a button that loads it again.
 */
export function PageSummary(props: {
  summary?: ReactNode;
  onRefresh: () => void;
  loading: boolean;
}) {
  return (
    <Box
      display="flex"
      alignItems="center"
      justifyContent="flex-end"
      height="100%"
    >
      {props.summary !== undefined && (
        <Typography variant="body2" color="textSecondary">
          {props.summary}
        </Typography>
      )}
      <IconButton
        aria-label="Refresh"
        onClick={props.onRefresh}
        disabled={props.loading}
      >
        <RefreshIcon />
      </IconButton>
    </Box>
  );
}
