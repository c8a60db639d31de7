import { LoggerService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { NotificationSeverity } from '@backstage/plugin-notifications-common';
import type {
  DataProductEntityV1alpha1,
  IncidentSeverity,
} from '@backstage-datamesh/plugin-datamesh-common';
import type { RecordEvaluationResult } from '@backstage-datamesh/plugin-datamesh-node';

/**
 * The notification topics of the suite, so that users can mute each.
 * @public
 */
export const HEALTH_NOTIFICATION_TOPICS = {
  breaching: 'datamesh-health-breaching',
  recovered: 'datamesh-health-recovered',
} as const;

const SEVERITY: Record<IncidentSeverity, NotificationSeverity> = {
  critical: 'critical',
  high: 'high',
  medium: 'normal',
};

/** Who hears about a product: its owner and, where it names one, its on-call rotation. */
export function recipientsOf(entity: DataProductEntityV1alpha1): string[] {
  const refs = new Set<string>();
  for (const relation of entity.relations ?? []) {
    if (relation.type === 'ownedBy') {
      refs.add(relation.targetRef);
    }
  }
  if (refs.size === 0 && entity.spec.owner) {
    refs.add(
      entity.spec.owner.includes(':')
        ? entity.spec.owner
        : `group:${entity.metadata.namespace ?? 'default'}/${
            entity.spec.owner
          }`,
    );
  }
  const onCall = entity.spec.ownership?.onCallRotation;
  if (onCall) {
    refs.add(
      onCall.includes(':')
        ? onCall
        : `group:${entity.metadata.namespace ?? 'default'}/${onCall}`,
    );
  }
  return [...refs];
}

/**
 * Sends a Backstage notification to a product's owners and on-call rotation when it moves into
 * breaching, and again when it recovers. It is called with what the health store recorded, which
 * holds a move only once even with several backend replicas, so nothing is sent twice.
 */
export class HealthNotifier {
  constructor(
    private readonly notifications: NotificationService,
    private readonly logger: LoggerService,
  ) {}

  async notify(
    entity: DataProductEntityV1alpha1,
    result: RecordEvaluationResult,
  ): Promise<void> {
    const change = result.change;
    if (!change) {
      return;
    }
    const title = entity.metadata.title ?? entity.metadata.name;
    const namespace = entity.metadata.namespace ?? 'default';
    const link = `/catalog/${namespace}/dataproduct/${entity.metadata.name}`;
    const recipients = {
      type: 'entity' as const,
      entityRef: recipientsOf(entity),
    };
    try {
      if (change.to === 'breaching' && change.from !== 'breaching') {
        const incident = result.openedIncident;
        await this.notifications.send({
          recipients,
          payload: {
            title: `${title} is breaching its objectives`,
            description: change.reasons.join('; '),
            link,
            topic: HEALTH_NOTIFICATION_TOPICS.breaching,
            severity: incident ? SEVERITY[incident.severity] : 'high',
            scope: `datamesh-breaching:${
              incident?.id ?? stringifyEntityRef(entity)
            }`,
          },
        });
      } else if (change.from === 'breaching' && result.resolvedIncident) {
        await this.notifications.send({
          recipients,
          payload: {
            title: `${title} recovered: ${change.to}`,
            description: change.reasons.join('; '),
            link,
            topic: HEALTH_NOTIFICATION_TOPICS.recovered,
            severity: 'normal',
            scope: `datamesh-recovered:${result.resolvedIncident.id}`,
          },
        });
      }
    } catch (error) {
      // the health is recorded either way; a notification that cannot be sent is logged
      this.logger.warn(
        `Could not notify about ${stringifyEntityRef(entity)}: ${error}`,
      );
    }
  }
}
