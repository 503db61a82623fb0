export { DEMO_CHANNEL_SLUG, DEMO_USER, type DemoHandle, startDemo } from './demo.service.js';
export { demoRoutes } from './demo.routes.js';
export { simulatorRoutes } from './simulator.routes.js';
