export * from './QualityStore';
export * from './HealthStore';
export * from './LineageStore';
