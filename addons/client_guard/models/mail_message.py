# pylint: disable=consider-merging-classes-inherited
# (kept apart from the main classes of the models: the door of contact details)
from odoo import api, models

from .base_details import batch_door, door_memo
from .contact_details import FULL, ORDER
from .res_partner_details import DETAIL_FIELDS, PAST_KEY, mask_detail
from .search_details import COPY_FIELDS


def _detail_kind(model, fname):
    """``phone``, ``email`` or ``text`` when ``fname`` of ``model`` holds a
    client's contact detail (its own, or an opportunity's copy), else None."""
    if model == "res.partner":
        return DETAIL_FIELDS.get(fname)
    if fname in COPY_FIELDS.get(model, ()):
        if "email" in fname:
            return "email"
        return "phone" if "phone" in fname or "mobile" in fname else "text"
    return None


class MailMessage(models.Model):
    """A client's chatter carries its details twice: in what people type
    (a message that quotes the client's phone) and in the tracking of its
    changes (old and new e-mail, phone, address). Both go through the door
    with the partners of the document the message is posted on."""

    _inherit = "mail.message"
    _client_guard_history = True  # a message may quote a detail the client has since changed

    def _client_guard_document_partners(self):
        """{message id: partners of the document it is posted on}"""
        result, by_model = {}, {}
        for message in self.sudo():
            model, res_id = message.model, message.res_id
            if not model or not res_id or model not in self.env:
                continue
            if model == "res.partner":
                result[message.id] = {res_id}
            else:
                by_model.setdefault(model, []).append((message.id, res_id))
        for model, pairs in by_model.items():
            # the documents of one model read together (one query per field, not per document)
            documents = self.env[model].browse([res_id for __, res_id in pairs])
            for message_id, res_id in pairs:
                result[message_id] = documents.browse(res_id).with_prefetch(
                    documents._prefetch_ids)._client_guard_linked_partners()
        return result

    def _client_guard_field_partners(self, fname):
        """The notified partners are the partners of the message's
        notifications, which the web client's store has usually loaded."""
        if fname == "notified_partner_ids":
            cache = self.env.cache
            if not next(cache.get_missing_ids(self, self._fields["notification_ids"]), None):
                notifications = self.notification_ids
                if not next(cache.get_missing_ids(notifications, notifications._fields["res_partner_id"]), None):
                    return notifications.res_partner_id
        return super()._client_guard_field_partners(fname)

    def _client_guard_linked_partners(self, fnames=None):
        ids = super()._client_guard_linked_partners(fnames)
        for pids in self._client_guard_document_partners().values():
            ids |= pids
        return ids

    def _to_store(self, store, /, **kwargs):
        """The messages of a thread go through the door together: Odoo reads
        each message on its own (``_read_format``), which would look up the
        partners' details once per message; here the reads skip the door
        and everything the store got for these messages (their fields,
        subjects, record names, tracked values) passes through it at the
        end, once, with the partners of every message (author, recipients,
        the document's partners)."""
        if not self or not self._client_guard_door_applies():
            return super()._to_store(store, **kwargs)
        with door_memo():  # the door's answers kept for the whole batch (a level per tracked change)
            with batch_door(self):
                super()._to_store(store, **kwargs)
            # the partners each message's own read would have passed through the door
            self._client_guard_door_store(store, super()._client_guard_linked_partners(kwargs.get("fields")))
        return None

    def _client_guard_door_store(self, store, partners):
        """Pass what the store got for these messages through the door, once,
        with ``partners`` and the partners of their documents."""
        data = store.data.get("mail.message") or {}
        documents = self._client_guard_document_partners()
        for pids in documents.values():
            partners |= pids
        batch = {}
        for message in self:
            values = data.get((message.id,))
            if not values:
                continue
            pids = documents.get(message.id)
            if pids and values.get("trackingValues"):
                # by field first (an old value is no current detail), then by value
                values = dict(values, trackingValues=self.env["mail.tracking.value"]._client_guard_mask_formatted(
                    message.sudo().model, pids, values["trackingValues"]))
            batch[message.id] = values
        if batch and partners:
            # one pass through the door for the whole thread
            batch = self.env["res.partner"]._client_guard_scrub(batch, partners, history=True)
        for message_id, values in batch.items():
            data[(message_id,)] = values


class MailTrackingValue(models.Model):
    _inherit = "mail.tracking.value"

    @api.model_create_multi
    def create(self, vals_list):
        trackings = super().create(vals_list)
        # a new past value of a detail: the door reads the past values again
        self.env.cr.cache.pop(PAST_KEY, None)
        return trackings

    def _client_guard_level(self, pids):
        """The most restrictive level among the document's partners."""
        access = self.env["res.partner"].browse(list(pids))._client_guard_detail_access()
        return max(access.values(), key=ORDER.get, default=FULL)

    def _client_guard_mask_formatted(self, model, pids, formatted):
        """Tracked changes of a contact detail (``_tracking_value_format``)
        at the user's level for the document's partners: the old value is
        not a current detail, so it is masked by field, not by value."""
        kinds = {item.get("fieldName"): _detail_kind(model, item.get("fieldName")) for item in formatted}
        if not any(kinds.values()):
            return formatted
        level = self._client_guard_level(pids)
        if level == FULL:
            return formatted
        result = []
        for item in formatted:
            kind = kinds.get(item.get("fieldName"))
            masked = dict(item)
            if kind:
                for key in ("oldValue", "newValue"):
                    if isinstance(item.get(key), dict):
                        masked[key] = dict(item[key], value=mask_detail(kind, item[key].get("value"), level))
            result.append(masked)
        return result

    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        if not result or not self._client_guard_door_applies():
            return result
        columns = [fname for fname in ("old_value_char", "new_value_char") if fname in (fnames or ())]
        if not columns:
            return result
        trackings = self.sudo().browse([row["id"] for row in result])
        partners = trackings.mail_message_id._client_guard_document_partners()
        levels = {}  # one lookup per set of document partners, not per tracked value
        for row, tracking in zip(result, trackings, strict=True):
            model = tracking.field_id.model or tracking.mail_message_id.model
            kind = _detail_kind(model, tracking.field_id.name)
            pids = partners.get(tracking.mail_message_id.id)
            if not kind or not pids:
                continue
            key = frozenset(pids)
            if key not in levels:
                levels[key] = self._client_guard_level(pids)
            level = levels[key]
            for fname in columns:
                row[fname] = mask_detail(kind, row[fname], level)
        return result
