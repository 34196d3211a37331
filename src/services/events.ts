import { EventEmitter } from 'node:events';

/**
 * What the marketplace announces once a change has committed. Events carry ids and the parties
 * only: each subscriber reloads the row under its own viewer, so nobody receives what they may
 * not read.
 */
export type DomainEvent =
  | { type: 'demandPublished'; demandId: string }
  | { type: 'offerReceived'; offerId: string; enterpriseId: string }
  | { type: 'loanUpdated'; loanId: string; enterpriseId: string; institutionId: string };

export type DomainEventType = DomainEvent['type'];

export interface EventBus {
  /** Called after the transaction commits; never throws into the mutation that caused it. */
  publish(event: DomainEvent): void;
  /** Every event of one type published by any instance sharing the bus; returns the unsubscribe. */
  subscribe<T extends DomainEventType>(type: T, listener: (event: Extract<DomainEvent, { type: T }>) => void): () => void;
  close(): Promise<void>;
}

/** One process: events go straight to this instance's subscribers. */
export class LocalEventBus implements EventBus {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  publish(event: DomainEvent): void {
    this.emitter.emit(event.type, event);
  }

  subscribe<T extends DomainEventType>(type: T, listener: (event: Extract<DomainEvent, { type: T }>) => void) {
    const wrapped = (event: Extract<DomainEvent, { type: T }>) => listener(event);
    this.emitter.on(type, wrapped);
    return () => void this.emitter.off(type, wrapped);
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}
