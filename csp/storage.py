"""Static files in production: WhiteNoise's compressed, hashed copies (cached for a year), with
JavaScript module imports rewritten to the hashed names too, so that static/js/app.js always
loads the GOV.UK Frontend it was collected with."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class HashedStaticFilesStorage(CompressedManifestStaticFilesStorage):
    support_js_module_import_aggregation = True
