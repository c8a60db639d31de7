export * from './QualityStore';
export * from './HealthStore';
