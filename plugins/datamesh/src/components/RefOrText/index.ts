export { RefOrText } from './RefOrText';
export type { RefOrTextProps } from './RefOrText';
