/**
 * A value computed only when someone awaits it. Connections expose totalCount this way:
 * GraphQL awaits it only when the query selects the field, so pages that don't ask skip the COUNT.
 */
export class Lazy<T> implements PromiseLike<T> {
  private promise?: Promise<T>;

  constructor(private readonly compute: () => Promise<T>) {}

  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): PromiseLike<R1 | R2> {
    this.promise ??= this.compute();
    return this.promise.then(onfulfilled, onrejected);
  }
}
