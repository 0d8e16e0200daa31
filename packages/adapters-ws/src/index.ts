// The public API of @message-center/adapters-ws: the WebSocket endpoint and
// the registry of live connections (the core's LocalDelivery port).
export { type Connection, ConnectionRegistry, type ConnectionRegistryOptions, type LiveSocket } from './connection-registry.js';
export type { HandshakeAuthOptions, HandshakeUseCases } from './handshake-auth.js';
export { retarget } from './handshake-request.js';
export { PresenceWatchers } from './presence-watchers.js';
export { CloseCode, type PresenceRow, type ServerFrame } from './server-frames.js';
export type { RoutingApp, UpgradingServer } from './upgrade.js';
export { createWebSocketEndpoint, type WebSocketEndpoint, type WebSocketEndpointOptions } from './websocket-endpoint.js';
