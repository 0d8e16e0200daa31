import { Container } from 'inversify';
import { coreModule, resolveUseCases, type UseCases } from './container-module.js';
import type { CorePorts } from './core-ports.js';
import { PORTS } from './tokens.js';

/** Binds each port of the object to its token, for containers that take their ports ready-made. */
export function bindPorts(container: Container, ports: CorePorts): void {
  container.bind(PORTS.UserRepository).toConstantValue(ports.users);
  container.bind(PORTS.SessionStore).toConstantValue(ports.sessions);
  container.bind(PORTS.MessageRepository).toConstantValue(ports.messages);
  container.bind(PORTS.LoginThrottle).toConstantValue(ports.throttle);
  container.bind(PORTS.TicketStore).toConstantValue(ports.tickets);
  container.bind(PORTS.Notifier).toConstantValue(ports.notifier);
  container.bind(PORTS.Presence).toConstantValue(ports.presence);
  container.bind(PORTS.PasswordHasher).toConstantValue(ports.hasher);
  container.bind(PORTS.TokenGenerator).toConstantValue(ports.tokenGenerator);
  container.bind(PORTS.Clock).toConstantValue(ports.clock);
  container.bind(PORTS.CoreConfig).toConstantValue(ports.config);
}

/** A container with the ports bound and every use case loaded (Inversify 8: `load` is synchronous). */
export function createCoreContainer(ports: CorePorts): Container {
  const container = new Container();
  bindPorts(container, ports);
  container.load(coreModule);
  return container;
}

export function createUseCasesFrom(ports: CorePorts): UseCases {
  return resolveUseCases(createCoreContainer(ports));
}
