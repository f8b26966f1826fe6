/** @odoo-module **/
// The recording of a call, played in the page: an HTML5 audio player instead of a link.

import { Component } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

export class PbxAudioField extends Component {
    static template = "pbx_call_capture.PbxAudioField";
    static props = { ...standardFieldProps };

    get url() {
        const value = this.props.record.data[this.props.name];
        // only web addresses are played (no javascript: or data: URLs)
        return value && /^https?:\/\//i.test(value) ? value : false;
    }

    get label() {
        return _t("Call recording");
    }
}

export const pbxAudioField = {
    component: PbxAudioField,
    displayName: _t("Audio player"),
    supportedTypes: ["char"],
};

registry.category("fields").add("pbx_audio", pbxAudioField);
