"""How the schema describes the token authentication (drf-spectacular extension, registered on import)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiTokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A client's token, `tpl_<prefix>_<secret>`, from `manage.py create_api_token`.",
        }
