"""Care's pages."""

urlpatterns = []
