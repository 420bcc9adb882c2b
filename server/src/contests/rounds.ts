import { badRequest } from '../http/errors.js';

/** The round that judging, scoring and results refer to when a request names none. */
export function currentRoundId(contest: {
  currentRoundId?: string | null;
  rounds: readonly { id: string }[];
}): string {
  const id = contest.currentRoundId ?? contest.rounds[0]?.id;
  if (!id) throw new Error('contest has no rounds');
  return id;
}

/** The round a request names (`?round=`), or the current one; an unknown round is the caller's mistake. */
export function requestedRoundId(
  contest: { currentRoundId?: string | null; rounds: readonly { id: string }[] },
  round: string | undefined,
  path = 'query.round',
): string {
  if (round === undefined) return currentRoundId(contest);
  if (!contest.rounds.some((r) => r.id === round))
    throw badRequest(`Unknown round "${round}"`, [{ path, message: `This contest has no round "${round}"` }]);
  return round;
}
