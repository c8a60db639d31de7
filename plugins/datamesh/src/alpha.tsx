/**
 * The data mesh frontend plugin for apps on the new frontend system: the Data products page
 * and the DataProduct and Domain entity cards.
 *
 * @packageDocumentation
 */
import { datameshPlugin } from './alpha/plugin';

/**
 * The data mesh frontend plugin for apps on the new frontend system.
 * @alpha
 */
export default datameshPlugin;
