export { type Workspace, ensureDefaultWorkspace } from './workspace.store.js';
