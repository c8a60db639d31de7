export * from './QualityStore';
export * from './HealthStore';
export * from './LineageStore';
export * from './GovernanceStore';
