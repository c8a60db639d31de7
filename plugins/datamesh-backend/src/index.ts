/**
 * Backend plugin of the data mesh suite for Backstage.
 *
 * @packageDocumentation
 */
export { datameshPlugin as default } from './plugin';
