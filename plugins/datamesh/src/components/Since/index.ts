export { Since } from './Since';
export type { SinceProps } from './Since';
