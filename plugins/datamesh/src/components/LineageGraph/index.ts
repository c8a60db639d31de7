export { LineageGraph, RUN_STATE_LOOKS, isProductPort } from './LineageGraph';
export type { LineageGraphProps } from './LineageGraph';
export { LineageLegend } from './LineageLegend';
export { buildLineageView, productNodeId } from './graphView';
export type {
  LineageView,
  LineageViewEdge,
  LineageViewNode,
} from './graphView';
