import { createContext, useContext } from 'react';
import type { ContestForMember } from '@pingxuan/shared';

export type OrganizeContextValue = {
  contest: ContestForMember;
  /** Reads the contest again (after a status change, or a 409 that says it changed elsewhere). */
  reloadContest: () => void;
};

export const OrganizeContext = createContext<OrganizeContextValue | null>(null);

export function useOrganize(): OrganizeContextValue {
  const v = useContext(OrganizeContext);
  if (!v) throw new Error('useOrganize outside the organizer layout');
  return v;
}
