/** Sign-in: through the EHR (SMART standalone launch, openid fhirUser) or with a pasted ADMIN_TOKEN. */
import { useEffect, useState } from 'react';
import { adminProfiles, type AdminSession, type EhrProfileInfo } from './session.js';
import { startSignIn } from './auth.js';
import { strings } from './strings.js';
import { Banner } from './widgets.js';

export default function SignInPage(props: { message?: string; onSignedIn: (s: AdminSession) => void }) {
  const [profiles, setProfiles] = useState<EhrProfileInfo[] | undefined>();
  const [profilesError, setProfilesError] = useState<string>();
  const [chosen, setChosen] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [token, setToken] = useState('');

  useEffect(() => {
    let live = true;
    fetch('/api/ehr-profiles', { headers: { Accept: 'application/json' } })
      .then(async (res) => {
        if (!res.ok) throw new Error(String(res.status));
        const list = adminProfiles(await res.json());
        if (!live) return;
        setProfiles(list);
        setChosen(list[0]?.id);
      })
      .catch(() => { if (live) { setProfiles([]); setProfilesError(strings.profilesFailed); } });
    return () => { live = false; };
  }, []);

  const signIn = async () => {
    const profile = profiles?.find((p) => p.id === chosen);
    if (!profile) return;
    setBusy(true); setError(undefined);
    try { await startSignIn(profile); } catch (e) {
      setError(strings.signInFailed(e instanceof Error ? e.message : String(e)));
      setBusy(false);
    }
  };

  return (
    <main className="adm-signin" data-testid="admin-signin">
      <h1>{strings.signInTitle}</h1>
      <p>{strings.signInIntro}</p>
      {props.message && <Banner kind="error" testId="admin-auth-message">{props.message}</Banner>}
      {error && <Banner kind="error" testId="admin-signin-error">{error}</Banner>}
      {profilesError && <Banner kind="warning">{profilesError}</Banner>}

      <section className="adm-card" aria-labelledby="adm-ehr-signin">
        <h2 id="adm-ehr-signin">Sign in through the EHR</h2>
        {profiles === undefined && <p aria-busy="true">Loading EHRs…</p>}
        {profiles && profiles.length === 0 && !profilesError && <p>{strings.noAdminProfiles}</p>}
        {profiles && profiles.length > 1 && (
          <fieldset>
            <legend>Choose your EHR</legend>
            {profiles.map((p) => (
              <label key={p.id} className="adm-radio">
                <input type="radio" name="ehr" value={p.id} checked={chosen === p.id} onChange={() => setChosen(p.id)}
                  data-testid={`admin-signin-profile-${p.id}`} />
                {p.name} <span className="adm-muted">({p.issuers[0]})</span>
              </label>
            ))}
          </fieldset>
        )}
        {profiles && profiles.length > 0 && (
          <button type="button" className="adm-btn adm-btn--primary" onClick={() => void signIn()} disabled={busy || !chosen}
            data-testid="admin-signin-button">
            {busy ? 'Redirecting…' : `Sign in with ${profiles.find((p) => p.id === chosen)?.name ?? 'the EHR'}`}
          </button>
        )}
      </section>

      <section className="adm-card" aria-labelledby="adm-token-signin">
        <h2 id="adm-token-signin">Use an admin token</h2>
        <form onSubmit={(e) => { e.preventDefault(); if (token.trim()) props.onSignedIn({ token: token.trim(), source: 'admin-token' }); }}>
          <div className="adm-field">
            <label htmlFor="adm-token">Admin token (ADMIN_TOKEN, for automation; kept in memory only)</label>
            <input id="adm-token" type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)}
              data-testid="admin-token-input" />
          </div>
          <button type="submit" className="adm-btn" disabled={!token.trim()} data-testid="admin-token-submit">Use token</button>
        </form>
      </section>
    </main>
  );
}
