import { useState } from 'react';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type { Incident } from '@backstage-datamesh/plugin-datamesh-common';
import { dataMeshQualityApiRef } from '../../api';

/** What a person can do with an incident. */
export type IncidentAction = 'acknowledge' | 'resolve';

const VERBS: Record<IncidentAction, { done: string; failed: string }> = {
  acknowledge: { done: 'acknowledged', failed: 'acknowledge' },
  resolve: { done: 'resolved', failed: 'resolve' },
};

/** The backend's own words for a failed request (`You may not acknowledge incidents of …`). */
function reasonOf(error: unknown): string {
  if (ResponseError.is(error)) {
    return error.cause.message || error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Acknowledges and resolves incidents through the backend, telling the user how it went through
 * the alert API (the backend's reason when it refuses: 403 for someone who may not, 409 for an
 * incident already resolved), then calls `onChange` so the caller shows the incident as it is now.
 */
export function useIncidentActions(onChange: () => void) {
  const qualityApi = useApi(dataMeshQualityApiRef);
  const alertApi = useApi(alertApiRef);
  const [pending, setPending] = useState<string | undefined>();

  const run = async (incident: Incident, action: IncidentAction) => {
    setPending(incident.id);
    try {
      if (action === 'acknowledge') {
        await qualityApi.acknowledgeIncident(incident.id);
      } else {
        await qualityApi.resolveIncident(incident.id);
      }
      alertApi.post({
        message: `Incident ${VERBS[action].done}: ${incident.title}`,
        severity: 'success',
        display: 'transient',
      });
    } catch (error) {
      alertApi.post({
        message: `Could not ${VERBS[action].failed} the incident "${
          incident.title
        }": ${reasonOf(error)}`,
        severity: 'error',
      });
    } finally {
      setPending(undefined);
      onChange();
    }
  };

  return {
    /** The id of the incident an action is running on. */
    pending,
    acknowledge: (incident: Incident) => run(incident, 'acknowledge'),
    resolve: (incident: Incident) => run(incident, 'resolve'),
  };
}
