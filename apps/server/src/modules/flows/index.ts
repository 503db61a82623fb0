export { publishFlowVersion } from './flow.store.js';
