export {
  DataProductIncidentsCard,
  IncidentList,
} from './DataProductIncidentsCard';
export { useIncidentActions } from './useIncidentActions';
