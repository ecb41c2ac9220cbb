import * as E from 'fp-ts/lib/Either.js'

/** The Left of `r`; throws (failing the test) with the Right it got instead. */
export const left = <L, R>(r: E.Either<L, R>): L => {
  if (E.isRight(r)) throw new Error(`expected a Left, got ${JSON.stringify(r.right)}`)
  return r.left
}

/** The Right of `r`; throws (failing the test) with the Left it got instead. */
export const right = <L, R>(r: E.Either<L, R>): R => {
  if (E.isLeft(r)) throw new Error(`expected a Right, got ${JSON.stringify(r.left)}`)
  return r.right
}
