/** Health checks and the optional HTTP endpoint (HEALTH_PORT). */
export * from './checks.ts';
export { HealthMonitor, type HealthMonitorOptions, LoopMonitor, StoreProbe } from './monitor.ts';
export { HEALTH_PATHS, type HealthServer, type HealthSource, serveHealth } from './server.ts';
