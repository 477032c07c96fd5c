from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CsoDirectoryConfig(AppConfig):
    name = "cso_directory"
    verbose_name = _("CSO directory")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        post_migrate.connect(create_directory_tree, sender=self)


def create_directory_tree(sender, using, **kwargs):
    """Every database the portal runs on has the fixed top of the page tree."""
    from cso_directory.site_tree import ensure_directory_tree

    ensure_directory_tree()
