import { EventEmitter } from 'node:events';

/**
 * What the marketplace announces once a change has committed. Events carry ids and the parties
 * only: each subscriber reloads the row under its own viewer, so nobody receives what they may
 * not read.
 */
export type DomainEvent =
  | { type: 'demandPublished'; demandId: string }
  | { type: 'offerReceived'; offerId: string; enterpriseId: string }
  | { type: 'loanUpdated'; loanId: string; enterpriseId: string; institutionId: string; status: string }
  | { type: 'fundClaimUpdated'; claimId: string; enterpriseId: string; departmentId: string }
  // The events below reach banks' webhooks (docs/webhooks.md); each names the one bank concerned.
  | { type: 'offerAccepted'; offerId: string; demandId: string; loanId: string; institutionId: string }
  | { type: 'offerRejected'; offerId: string; demandId: string; institutionId: string }
  | { type: 'dispatchAssigned'; dispatchId: string; institutionId: string }
  | {
      type: 'authorizationGranted';
      authorizationId: string;
      enterpriseId: string;
      institutionId: string;
      scope: string;
      expiresAt: string;
    }
  | { type: 'authorizationRevoked'; authorizationId: string; enterpriseId: string; institutionId: string };

export type DomainEventType = DomainEvent['type'];

/** The event for a loan that changed: its borrower and lender hear of it. */
export function loanUpdated(loan: {
  id: string;
  status: string;
  enterprise: { id: string };
  institution: { id: string };
}): DomainEvent {
  return {
    type: 'loanUpdated',
    loanId: loan.id,
    enterpriseId: loan.enterprise.id,
    institutionId: loan.institution.id,
    status: loan.status,
  };
}

/** The event for a PENDING offer rejected (another accepted, or its demand withdrawn): its bank hears of it. */
export function offerRejected(offer: { id: string; institution_id: string }, demandId: string): DomainEvent {
  return { type: 'offerRejected', offerId: offer.id, demandId, institutionId: offer.institution_id };
}

/** The event for a consent given to a bank (by the enterprise, or with an accepted offer). */
export function authorizationGranted(authorization: {
  id: string;
  enterpriseId: string;
  institutionId: string;
  scope: string;
  expiresAt: Date;
}): DomainEvent {
  return {
    type: 'authorizationGranted',
    authorizationId: authorization.id,
    enterpriseId: authorization.enterpriseId,
    institutionId: authorization.institutionId,
    scope: authorization.scope,
    expiresAt: authorization.expiresAt.toISOString(),
  };
}

export type DomainEventOf<T extends DomainEventType> = Extract<DomainEvent, { type: T }>;

export interface EventBus {
  /** Called after the transaction commits; never throws into the mutation that caused it. */
  publish(event: DomainEvent): void;
  /** Every event of one type published by any instance sharing the bus; returns the unsubscribe. */
  subscribe<T extends DomainEventType>(type: T, listener: (event: DomainEventOf<T>) => void): () => void;
  /** Listeners of this instance for one type (metrics, and tests waiting for a subscription to start). */
  listenerCount(type: DomainEventType): number;
  close(): Promise<void>;
}

/** Where a failing listener is reported (a pino logger fits). */
export interface EventBusLogger {
  error(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** One process: events go straight to this instance's subscribers. */
export class LocalEventBus implements EventBus {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  constructor(protected readonly logger?: EventBusLogger) {}

  publish(event: DomainEvent): void {
    this.deliver(event);
  }

  subscribe<T extends DomainEventType>(type: T, listener: (event: DomainEventOf<T>) => void) {
    // A wrapper per call, so subscribing one function twice gives two independent unsubscribes.
    const wrapped = (event: DomainEventOf<T>) => listener(event);
    this.emitter.on(type, wrapped);
    return () => void this.emitter.off(type, wrapped);
  }

  listenerCount(type: DomainEventType): number {
    return this.emitter.listenerCount(type);
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }

  /** Hands an event to this instance's listeners; a failing listener is logged, never thrown at the publisher. */
  protected deliver(event: DomainEvent): void {
    for (const listener of this.emitter.listeners(event.type)) {
      try {
        listener(event);
      } catch (err) {
        this.logger?.error({ err, event: event.type }, 'event listener failed');
      }
    }
  }
}
