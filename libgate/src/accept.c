/* accept.c: recording that a user accepted (or withdrew acceptance of) a version, with its rules. */
#include "accept.h"
#include "decision.h"
#include "handle.h"
#include "text.h"

#include <stdio.h>
#include <string.h>

int gate__method_check(const char *method)
{
	size_t len = strlen(method);

	for (size_t i = 0; i < len && len <= GATE_METHOD_MAX; i++) {
		char c = method[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
			len = 0;
	}
	if (len == 0 || len > GATE_METHOD_MAX)
		return gate__error_set(GATE_EINVALID,
			"method '%.40s%s' must be 1 to %d characters of a-z, 0-9, '.', '_' and '-' (such as desktop-dialog, web, import)",
			method, strlen(method) > 40 ? "..." : "", GATE_METHOD_MAX);
	return 0;
}

int gate__client_check(const char *client)
{
	size_t len = strlen(client);
	int error;

	if (len > GATE_CLIENT_MAX)
		return gate__error_set(GATE_EINVALID, "the client string is %zu bytes; the limit is %d",
			len, GATE_CLIENT_MAX);
	if ((error = gate__utf8_check(client, len, "client string")) < 0)
		return error;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)client[i] < 0x20 || client[i] == 0x7f)
			return gate__error_set(GATE_EINVALID,
				"the client string contains a control character at byte %zu", i);
	return 0;
}

/* Copies a string into a fixed field, cut to fit (the callers checked the
 * lengths already). Cheaper than snprintf on the import's hot path. */
static void put(char *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

void gate__event_set_version(gate__event *ev, const gate_version_info *v, const char *want)
{
	const gate_locale_text *t = gate__catalog_text(v, want);

	ev->n = v->n;
	put(ev->commit_oid, sizeof(ev->commit_oid), v->commit_oid);
	put(ev->locale, sizeof(ev->locale), t ? t->locale : "");
	put(ev->blob_oid, sizeof(ev->blob_oid), t ? t->blob_oid : "");
}

int gate__accept_rule(const gate__state *cur, const char *user, const char *doc, unsigned n)
{
	if (!cur || cur->revoked || cur->n < n)
		return 0;
	if (cur->n == n)
		return 1;
	return gate__error_set(GATE_ECONFLICT,
		"%s already accepted %s v%u; accepting the older v%u is refused", user, doc, cur->n, n);
}

void gate__receipt_fill(gate_receipt *out, const gate__event *ev, int recorded)
{
	memset(out, 0, sizeof(*out));
	out->recorded = recorded;
	out->seq = ev->seq;
	out->type = ev->type;
	out->n = ev->n;
	put(out->locale, sizeof(out->locale), ev->locale);
	put(out->commit_oid, sizeof(out->commit_oid), ev->commit_oid);
	put(out->blob_oid, sizeof(out->blob_oid), ev->blob_oid);
	out->at = ev->at;
	gate__hex(out->hash, ev->hash, GATE__HASH_BYTES);
}

typedef struct {
	gate__catalog_doc *d;
	const char *user;
	const char *want;   /* canonical locale, or NULL */
	unsigned n;         /* asked for; 0: what the decision asks for */
	gate__event *ev;
} accept_ctx;

/* Runs inside the store's write transaction, so that two racing accepts
 * both see the state the other left. */
static int accept_check(const gate__state *cur, void *payload)
{
	accept_ctx *a = payload;
	unsigned n = a->n;
	int rc;

	if (!n) {
		gate_decision dec;
		unsigned accepted = cur && !cur->revoked ? cur->n : 0;

		gate__decide(a->d, cur, a->ev->at, &dec);
		n = dec.target ? dec.target : accepted ? accepted : dec.required ? dec.required : (unsigned)a->d->count;
	}
	a->ev->n = n;
	if ((rc = gate__accept_rule(cur, a->user, a->d->id, n)) != 0)
		return rc;
	gate__event_set_version(a->ev, &a->d->versions[n - 1], a->want);
	return 0;
}

static int first_event(const gate__event *ev, void *payload)
{
	*(gate__event *)payload = *ev;
	return 1;
}

/* The event a skipped append points at, for the receipt. */
static int existing_event(gate_store *store, int64_t seq, gate__event *ev)
{
	gate__event found;
	int rc;

	if (seq <= 0)
		return 0;
	rc = store->ops->replay(store, seq, NULL, first_event, &found);
	if (rc < 0)
		return rc;
	if (rc == 1 && found.seq == seq)
		*ev = found;
	return 0;
}

/* The checks every recording call makes on its arguments. */
static int check_args(gate *g, const char *user, const char *doc, const char **method,
	const char **client, gate__catalog_doc **d)
{
	gate_catalog *cat;
	int error;

	if (!g || !user || !doc)
		return gate__error_set(GATE_EINVALID, "NULL handle, user or document");
	if (!*method)
		*method = "api";
	if (!*client)
		*client = "";
	if ((error = gate_user_id_check(user)) < 0 || (error = gate__method_check(*method)) < 0 ||
	    (error = gate__client_check(*client)) < 0 || (error = gate__catalog(g, &cat)) < 0 ||
	    (error = gate__catalog_doc_get(cat, doc, d)) < 0)
		return error;
	return 0;
}

void gate__event_init(gate__event *ev, int type, const char *doc, int64_t at,
	const char *method, const char *client)
{
	memset(ev, 0, sizeof(*ev));
	ev->type = type;
	put(ev->doc, sizeof(ev->doc), doc);
	ev->at = at;
	put(ev->method, sizeof(ev->method), method);
	put(ev->client, sizeof(ev->client), client);
}

int gate_accept(gate *g, const char *user, const char *doc, unsigned int n,
	const char *locale, const char *method, const char *client, gate_receipt *out)
{
	char want[GATE_LOCALE_MAX + 1];
	gate__catalog_doc *d;
	gate_store *store;
	gate__event ev;
	accept_ctx a;
	int rc;

	if (out)
		memset(out, 0, sizeof(*out));
	if ((rc = check_args(g, user, doc, &method, &client, &d)) < 0)
		return rc;
	if (locale && (rc = gate__locale_canon(want, locale)) < 0)
		return rc;
	if (n > d->count || (n == 0 && d->count == 0)) {
		const gate_version_info *v;

		return gate_version_lookup(g, doc, n, &v);
	}
	if ((rc = gate__store(g, &store)) < 0)
		return rc;
	gate__event_init(&ev, GATE_EVENT_ACCEPT, d->id, gate_now(g), method, client);
	a.d = d;
	a.user = user;
	a.want = locale ? want : NULL;
	a.n = n;
	a.ev = &ev;
	if ((rc = store->ops->append(store, user, &ev, accept_check, &a)) < 0)
		return rc;
	if (rc == 1 && existing_event(store, ev.seq, &ev) < 0)
		return gate_error_last()->code;
	if (out)
		gate__receipt_fill(out, &ev, rc == 0);
	return 0;
}

typedef struct {
	gate__catalog_doc *d;
	const char *user;
	gate__event *ev;
} revoke_ctx;

static int revoke_check(const gate__state *cur, void *payload)
{
	revoke_ctx *r = payload;

	if (!cur || cur->revoked)
		return gate__error_set(GATE_ENOTFOUND, "%s has no acceptance of %s to withdraw", r->user, r->d->id);
	if (cur->n == 0 || cur->n > r->d->count)
		return gate__error_set(GATE_ECORRUPT,
			"%s's state names %s v%u, which the policy repository does not have; run `gate verify`",
			r->user, r->d->id, cur->n);
	/* A withdrawal names the version withdrawn; no text was shown. */
	r->ev->n = cur->n;
	put(r->ev->commit_oid, sizeof(r->ev->commit_oid), r->d->versions[cur->n - 1].commit_oid);
	return 0;
}

int gate_revoke(gate *g, const char *user, const char *doc,
	const char *method, const char *client, gate_receipt *out)
{
	gate__catalog_doc *d;
	gate_store *store;
	gate__event ev;
	revoke_ctx r;
	int rc;

	if (out)
		memset(out, 0, sizeof(*out));
	if ((rc = check_args(g, user, doc, &method, &client, &d)) < 0 ||
	    (rc = gate__store(g, &store)) < 0)
		return rc;
	gate__event_init(&ev, GATE_EVENT_REVOKE, d->id, gate_now(g), method, client);
	r.d = d;
	r.user = user;
	r.ev = &ev;
	if ((rc = store->ops->append(store, user, &ev, revoke_check, &r)) < 0)
		return rc;
	if (out)
		gate__receipt_fill(out, &ev, 1);
	return 0;
}
