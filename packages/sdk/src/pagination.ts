/** A page of a list answer, newest first. */
export interface List<T> {
  object: "list";
  data: T[];
  has_more: boolean;
}

export interface Page<T extends { id: string }> extends List<T> {
  /** The next page, or null on the last one. */
  nextPage(): PagePromise<T> | null;
}

/** Fetches the page after the object with id `startingAfter` (from the start when undefined). */
export type PageLoader<T> = (startingAfter: string | undefined) => Promise<List<T>>;

/**
 * What a `list` call returns: `await` it for one page, or `for await` over it for every object
 * across pages. The request goes out when it is first awaited or iterated, and only once.
 */
export class PagePromise<T extends { id: string }> implements PromiseLike<Page<T>>, AsyncIterable<T> {
  readonly #load: PageLoader<T>;
  readonly #startingAfter: string | undefined;
  #page: Promise<Page<T>> | undefined;

  constructor(load: PageLoader<T>, startingAfter?: string) {
    this.#load = load;
    this.#startingAfter = startingAfter;
  }

  // biome-ignore lint/suspicious/noThenProperty: awaiting a list call is the point of this class.
  then<A = Page<T>, B = never>(
    onFulfilled?: ((page: Page<T>) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    this.#page ??= this.#load(this.#startingAfter).then((list) => ({
      ...list,
      nextPage: () => {
        const last = list.data.at(-1);
        return list.has_more && last ? new PagePromise(this.#load, last.id) : null;
      },
    }));
    return this.#page.then(onFulfilled, onRejected);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (let page: Page<T> | null = await this; page; page = await page.nextPage()) yield* page.data;
  }
}
