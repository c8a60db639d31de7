export { GovernancePage, GovernancePageContent } from './GovernancePage';
