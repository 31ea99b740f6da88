/**
 * Who acts, and on what: what every use case is given, whoever calls it — an API route (whose
 * `RequestContext` adds the request's params, body, query and Accept header), a page of the web app,
 * a job. Nothing of HTTP: a use case checks its caller's principal kind and scope itself and throws
 * the domain's `Refusal`, which the HTTP layer (and the web app) turn into a problem in one place.
 */
import type { Principal } from "../domain/principals.ts";
import { refuse } from "../domain/refusal.ts";
import type { Actor, Casework, Log, Runtime, Store } from "./ports.ts";

export interface Acting {
  principal: Principal;
  actor: Actor;
  today: string;
  now: string;
  store: Store;
  log: Log;
  /** Casework's store and the address alerts link to. */
  casework: Casework;
  /** What the function runs on (notifier, files, secrets, settings), as its composition root built it. */
  runtime: Runtime;
}

export type PrincipalKinds = readonly Principal["kind"][];

/**
 * A use case: a plain function of who acts and what they ask, that first refuses a principal kind
 * its route does not admit — so a caller that is not the API's route table (the web app, a job)
 * cannot reach it as anyone the route table refuses. `principals` is the route's list (a test holds
 * them equal, test/use-cases.test.ts).
 */
export interface UseCase<I, A> {
  (acting: Acting, input: I): Promise<A>;
  readonly principals: PrincipalKinds;
}

export function useCase<I, A>(principals: PrincipalKinds, run: (acting: Acting, input: I) => Promise<A>): UseCase<I, A> {
  const checked = async (acting: Acting, input: I): Promise<A> => {
    if (!principals.includes(acting.principal.kind)) throw refuse.outOfScope();
    return await run(acting, input);
  };
  return Object.assign(checked, { principals });
}

/** What a use case answers: the body its route answers with, and what a page reads. */
export type AnswerOf<U> = U extends UseCase<infer _I, infer A> ? A : never;
