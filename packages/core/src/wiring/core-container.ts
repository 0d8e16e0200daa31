import { Container, type ServiceIdentifier } from 'inversify';
import { coreModule, resolveUseCases, type UseCases } from './container-module.js';
import type { CorePorts } from './core-ports.js';
import { PORT_TOKENS } from './tokens.js';

/** Binds each port of the object to its token: the one binding path, complete by `PORT_TOKENS`' type. */
export function bindPorts(container: Container, ports: CorePorts): void {
  for (const key of Object.keys(PORT_TOKENS) as (keyof CorePorts)[]) bindPort(container, key, ports);
}

function bindPort<K extends keyof CorePorts>(container: Container, key: K, ports: CorePorts): void {
  const token: ServiceIdentifier<CorePorts[K]> = PORT_TOKENS[key];
  container.bind(token).toConstantValue(ports[key]);
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
