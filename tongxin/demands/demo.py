"""Demo demands: QR codes on every door, and a few reports at the first demo community."""

from django.utils import timezone

from tongxin.core.models import Place, RoleAssignment
from tongxin.demands import services
from tongxin.demands.models import Category


def load(stdout) -> None:
    from tongxin.core.models import Place as P
    from tongxin.demands.catalogue import ensure_seeded

    ensure_seeded()
    places = list(P.objects.filter(kind__in=services.QR_KINDS, retired_on__isnull=True))
    services.ensure_qr_codes(places)
    staff = (
        RoleAssignment.objects.filter(role="grid_worker", person__user__isnull=False, place__isnull=False)
        .select_related("place", "person__user").order_by("id").first()
    )
    count = 0
    if staff is not None:
        grid = staff.place
        covered = Place.objects.filter(covered_by__grid=grid, covered_by__valid_to__isnull=True).first()
        entrance = covered and covered.subtree().filter(kind="entrance").first()
        if entrance is not None:
            samples = [
                ("lighting", "3单元楼道灯坏了，晚上上下楼看不见，老人容易摔倒。", "王秀英", "13812345678"),
                ("sanitation", "垃圾分类点的厨余垃圾桶满了两天没人清运，有异味。", "", ""),
                ("parking", "消防通道上长期停着一辆白色轿车，堵住了通道。", "李强", ""),
            ]
            for n, (code, text, name, phone) in enumerate(samples):
                demand = services.report(entrance, category=Category.objects.get(code=code), description=text,
                                         name=name, phone=phone, key=f"demo-{n}")
                count += 1
                if n == 0:
                    services.act(staff.person.user, demand, "accept")
    stdout.write(f"  demands: {len(places)} QR codes, {count} sample reports ({timezone.localdate()})\n")
