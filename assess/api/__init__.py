"""The REST API at ``/api/v1``: bearer tokens only, JSON in and out, an OpenAPI document.

Importing this package loads nothing else, so the webhooks can share its representations
without loading the views; ``assess.api.views.init_app`` registers the blueprint.
"""
