/**
 * Who acts on which closing project of which firm: the one scope type. server/api's projectProcedure (and the
 * route handlers, through server/api/access.ts) build it after checking that the project belongs to the signed-in
 * user's firm; domain functions take it, or the part of it they need (a Pick, never a look-alike type).
 * It lives here, outside server/api, because domain modules must not import from server/api.
 */
export interface ProjectScope {
  firmId: string;
  clientId: string;
  projectId: string;
  userId: string;
}

/** The part of a ProjectScope a write inside one project needs: the project is already known to be the firm's. */
export type ProjectActor = Pick<ProjectScope, "firmId" | "projectId" | "userId">;
