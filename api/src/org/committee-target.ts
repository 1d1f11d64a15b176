import type { FieldError } from '@mashangjian/shared'
import type { Actor } from '../auth/actor'
import { committeeInScope } from '../auth/scope'
import { notFound, validationFailed } from '../errors/app-error'

export interface CommitteePaths {
  committeePath(id: string): Promise<string | undefined>
}

/**
 * The committee an admin request is about: the one named, if it lies in the caller's scope, else the caller's
 * own. A committee out of scope is reported like a missing one (no existence leak), against the field that named
 * it (`body.committeeId`, `querystring.committeeId`).
 */
export async function committeeFor(actor: Actor, requested: string | undefined, paths: CommitteePaths, field: string): Promise<{ id: string; path: string }> {
  const id = requested ?? actor.committeeId
  const problem = (message: string): never => {
    throw validationFailed([{ field, message } satisfies FieldError])
  }
  if (!id) return problem('required: which committee')
  const path = await paths.committeePath(id)
  if (!path || !committeeInScope(actor, path)) return problem('no such committee in your scope')
  return { id, path }
}

/** Loads a resource's committee path and answers 404 when it is missing or out of the caller's scope. */
export function assertInScope<T>(actor: Actor, found: T | undefined, pathOf: (row: T) => string, what: string): T {
  if (!found || !committeeInScope(actor, pathOf(found))) throw notFound(what)
  return found
}
